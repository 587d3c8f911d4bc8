r"""Markdown outputs that JupyterLab shows as written, and back.

JupyterLab hands Markdown output to MathJax after rendering it, so "$125.8bn … $244.8bn" is typeset
as math between the dollar signs, and so is anything between \( \) or \[ \]. Escapes measured in
JupyterLab 4.6 (tests/test_jupyterlab.py): `\\$` shows "$" and `\\\(` shows "\(". The HTML briefing
renders Markdown with mistune, without MathJax, so it gets the original text back (unescape_mathjax).
Tables get the same treatment for their alignment (ALIGN_LEFT).
"""

import re

_MATHJAX_SPECIAL = re.compile(r"\$|\\(?=[()\[\]])")
_MATHJAX_ESCAPED = re.compile(r"\\\\\$|\\\\\\(?=[()\[\]])")
MARKDOWN_ESCAPED = (
    "mathjax_escaped"  # output metadata flag: helpers.report.blocks unescapes such outputs
)


def escape_mathjax(text: str) -> str:
    """Markdown that JupyterLab shows as written: no dollar sign or backslash-bracket starts math."""
    return _MATHJAX_SPECIAL.sub(lambda m: "\\\\$" if m.group(0) == "$" else "\\\\\\", text)


def unescape_mathjax(text: str) -> str:
    """The Markdown as it was written (inverse of escape_mathjax), for renderers without MathJax."""
    return _MATHJAX_ESCAPED.sub(lambda m: "$" if m.group(0).endswith("$") else "\\", text)


# JupyterLab right-aligns every table cell and strips <style> from a notebook it does not trust (any notebook
# run by the build): words are aligned left by an attribute on their cells (report.tables), which the page drops
# again (report.blocks), its own stylesheet doing the same. Kept here so the renderer needs no pandas.
ALIGN_LEFT = ' style="text-align: left"'
