"""What a user reads from an element's markdown source: backslash escapes and HTML entities undone.

Data and URL text is escaped for markdown (components/escape.py); tests that look for a
value in a warning or caption compare what renders, not the escaped source.
"""

from __future__ import annotations

import html
import re

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def rendered(markdown: str) -> str:
    return html.unescape(_ESCAPE.sub(r"\1", markdown))
