"""Text from data and from links is text: the one escaping helper for everything shown.

Names of departments, managers, shops, brands, score notes and values echoed from the URL
come from imports and from whoever wrote the link. Streamlit renders markdown in
``st.markdown``, captions, alerts, titles, metric and widget labels, radio/segmented-control
options and table cells; ``st.html``, ``unsafe_allow_html`` and pydeck tooltips render HTML.
A name such as ``[点这里](javascript:…)`` or ``<img src=//evil/x>`` must show as those
characters, never as a link, an image or a script.

- :func:`md` for any markdown context (it also HTML-escapes, so it is right inside
  ``unsafe_allow_html`` markdown too);
- :func:`html_text` for pure HTML contexts (``st.html``, deck.gl tooltips);
- :func:`url_echo` for a value taken from the URL: cleaned, cut short, then :func:`md`.

All three drop Unicode control and format characters (right-to-left override, zero-width
spaces, …) that could disguise what a name says, and turn line breaks into spaces.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pandas as pd

# Inline markdown syntax (emphasis, code, links and images, tables, strikethrough, math, Streamlit's
# {} attributes, headings) is escaped everywhere; "<", ">" and "&" are HTML-escaped. Other
# punctuation ("-", ".", "/", "%", digits' ":") is safe inside a line and stays as it is, so
# figures, dates and times read the same in the markdown source.
_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()!|~$#")
# ":" before a letter starts a Streamlit directive, icon or emoji (:red[…], :material/…:, :smile:).
_DIRECTIVE_COLON = re.compile(r":(?=[A-Za-z])")
# A value at the start of a line could open a block: list item, quote, heading underline.
_BLOCK_START = re.compile(r"^(\s*)([-+](?=\s|$)|[0-9]+(?=[.)](?:\s|$)))")
URL_ECHO_LENGTH = 40
WORD_JOINER = "\u2060"
# What GFM's autolink-literal extension starts a link at: a scheme before ":" or "www" before ".".
_AUTOLINK_TRIGGER = re.compile(r"(?i)(?:https?|ftp|mailto|javascript|data|file)(?=:)|www(?=\.)")


def plain(value: object) -> str:
    """``value`` as one line of visible text: no control/format characters, no line breaks."""
    text = "" if value is None else str(value)
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\r\n\t\v\f\u2028\u2029" or category in ("Zl", "Zp"):
            out.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(char)
    return "".join(out)


def md(value: object) -> str:
    """``value`` escaped for markdown (and HTML inside markdown): renders as exactly its characters.

    GitHub-flavoured markdown also turns bare ``http://…``, ``www.…`` and ``name@host`` into
    links, after escapes are resolved; a word joiner (U+2060, invisible) after the scheme or
    ``www`` and before ``@`` keeps them text.
    """
    text = _AUTOLINK_TRIGGER.sub("\\g<0>" + WORD_JOINER, plain(value)).replace("@", WORD_JOINER + "@")
    escaped = "".join("\\" + char if char in _MARKDOWN_SPECIALS else char for char in text)
    escaped = _DIRECTIVE_COLON.sub(r"\\:", escaped)
    # "- x" → "\- x"; "12. x" → "12\. x" (the backslash goes before the list marker's "." or ")").
    escaped = _BLOCK_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2).isdigit()
                                                       else "\\" + m.group(2)), escaped)
    return html.escape(escaped, quote=False)


def html_text(value: object) -> str:
    """``value`` escaped for HTML (``st.html``, deck.gl tooltip templates)."""
    return html.escape(plain(value), quote=True)


def url_echo(value: object, *, limit: int = URL_ECHO_LENGTH) -> str:
    """A value from the URL, shortened to ``limit`` characters and escaped for markdown."""
    text = plain(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return md(text)


def md_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for ``st.table`` (whose cells, headers and index render markdown):
    every text cell, column header and index label escaped with :func:`md`."""
    def cell(value: object) -> object:
        return md(value) if isinstance(value, str) else value

    escaped = frame.map(cell)
    escaped.columns = [cell(c) for c in frame.columns]
    escaped.index = pd.Index([cell(i) for i in frame.index], name=cell(frame.index.name))
    return escaped
