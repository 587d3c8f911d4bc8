"""Browser checks (Playwright on Debian's Chromium), used by the tests and by hand; never by a build.

Run from the project root, e.g. `.venv/bin/python -m tests.browser.layout_check reports/briefing.html`.
They load pages the way the PDF is printed (helpers.report.pdf: one launch, one offline page, one wait)."""
