#!/usr/bin/env bash
# The PDF and the offline browser test need Debian's Chromium (playwright's own download does not
# work offline). Install it when running as root; otherwise say exactly what to install.
set -euo pipefail
CHROMIUM=${BRIEFING_CHROMIUM:-${CHROMIUM:-/usr/bin/chromium}}
# poppler-utils (pdfinfo, pdftotext, pdftoppm): the print layout test reads the PDF's pages and text.
if [ -x "$CHROMIUM" ] && command -v pdftotext >/dev/null; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian chromium (needed for the PDF)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null
  exit 0
fi
echo "error: Chromium ($CHROMIUM) or poppler-utils missing. Install: sudo apt-get install chromium poppler-utils" >&2
echo "       (or set CHROMIUM=/path/to/chromium)" >&2
exit 1
