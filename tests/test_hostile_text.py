"""Text from data and URLs is text (issue 16): every page on the county whose names are attacks.

tests/hostile_factory.py names departments, managers, shops, brands and score notes with
markdown links and images, raw HTML, ``javascript:`` URLs and Unicode controls. Every page
(and the views behind its parameters) runs in AppTest; every string of every element is
checked: markdown sources (alerts, captions, headers, widget and metric labels, radio
options, ``st.table`` cells) hold no unescaped link, image, tag or control character, and
HTML sources (``st.html``, deck.gl tooltips) no raw tag. The browser twin is
tests/browser/test_hostile_browser.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.hostile_factory import EVIL_HOST
from tests.test_hostile_urls import _open

# An unescaped markdown link/image opener, a raw tag, a control character. (Colour directives such
# as the routes legend's ":green[●]" are ours; the hostile ":red[红]" is caught by its brackets.)
# GFM also links bare URLs and e-mail addresses: a scheme or "www" right before its (escaped) ":" / ".",
# or a word character right before "@".
MARKDOWN_UNSAFE = re.compile(
    r"(?<!\\)\[[^\]]*(?<!\\)\]\(|<\s*[a-zA-Z/!]|[\u202a-\u202e\u2066-\u2069\u200b-\u200f]"
    r"|(?i:(?:https?|ftp|mailto|javascript)\\?:|www\\?\.)|\w\\?@")
HTML_UNSAFE = re.compile(r"<\s*(img|script|a|b\s+on|iframe|svg)\b|[\u202a-\u202e\u2066-\u2069\u200b-\u200f]", re.I)
# Elements that render raw HTML, and elements whose strings are plain text (not checked as markdown).
HTML_ELEMENTS = {"html", "deck_gl_json_chart"}
PLAIN_ELEMENTS = {"arrow_data_frame", "vega_lite_chart", "json", "code", "text", "selectbox", "multiselect",
                  "download_button", "link_button", "date_input", "text_input", "number_input", "slider",
                  "time_input", "text_area", "empty"}
# Labels for which markdown is rendered but that our code writes: never data.
VIEWS: list[tuple[str, dict[str, str]]] = [
    ("pages/overview.py", {"period": "2026-11"}),
    ("pages/overview.py", {"period": "2026-11", "dept": "D1"}),
    ("pages/sales.py", {"period": "2026-11", "s_dim": "brand"}),
    ("pages/sales.py", {"period": "2026-11", "dept": "D2", "s_brand": "七匹狼<img src=http://evil.example/i.png onerror=alert(1)>"}),
    ("pages/sales.py", {"period": "2026-11", "s_view": "movers"}),
    ("pages/sales.py", {"period": "2026-11", "s_view": "plan"}),
    ("pages/terminals.py", {"period": "2026-11", "tm_shop": "R2"}),
    ("pages/routes.py", {"period": "2026-11", "rt_day": "2026-11-18", "rt_stop": "1"}),
    ("pages/routes.py", {"period": "2026-11", "rt_view": "month"}),
    ("pages/routes.py", {"period": "2026-11", "rt_view": "now"}),
    ("pages/teams.py", {"period": "2026-11"}),
    ("pages/teams.py", {"period": "2026-11", "tm_view": "people"}),
    ("pages/teams.py", {"period": "2026-11", "tm_view": "audit"}),
    ("pages/teams.py", {"period": "2026-11", "tm_view": "entry"}),
    ("pages/teams.py", {"period": "2026-11", "print": "1"}),
    *[("pages/meeting.py", {"period": "2026-11", "slides": slide})
      for slide in ("kpi", "daily", "leaderboard", "terminals", "map", "anomalies")],
    ("pages/data_import.py", {"period": "[x](javascript:alert(1))<img src=http://evil.example/p.png>"}),
    ("pages/audit.py", {"period": "2026-11"}),
]


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("data", "arrowData", "styler"):  # Arrow bytes: plain cells, checked apart
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _elements(node: object) -> Iterator[object]:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _elements(child)
    if getattr(node, "proto", None) is not None:
        yield node


def findings(at: AppTest) -> list[str]:
    found: list[str] = []
    for element in _elements(at._tree):
        kind = getattr(element, "type", "")
        strings = list(_strings(MessageToDict(element.proto)))
        if kind == "deck_gl_json_chart":
            deck = json.loads(element.proto.json)
            strings = [s for s in _strings(deck) if isinstance(s, str)]
        if kind in HTML_ELEMENTS:
            found += [f"{kind}: {s[:120]!r}" for s in strings if HTML_UNSAFE.search(s.replace("<style>", ""))]
        elif kind not in PLAIN_ELEMENTS:
            found += [f"{kind}: {s[:120]!r}" for s in strings
                      if MARKDOWN_UNSAFE.search(s) and not s.lstrip().startswith("<style>")]  # our CSS
    for table in at.table:
        frame = table.value
        cells = [*map(str, frame.columns), *map(str, frame.index), *(str(v) for v in frame.to_numpy().ravel())]
        found += [f"table: {c[:120]!r}" for c in cells if MARKDOWN_UNSAFE.search(c)]
    return found


@pytest.mark.parametrize(("page", "params"), VIEWS, ids=[f"{p[6:-3]}-{i}" for i, (p, _) in enumerate(VIEWS)])
def test_names_from_data_render_as_text(use_database: Callable[[str], None], hostile_db_url: str, page: str,
                                        params: dict[str, str]) -> None:
    at = _open(use_database, hostile_db_url, page, params)
    assert not at.exception, [e.value for e in at.exception]
    assert findings(at) == []


def test_the_hostile_names_are_on_the_pages(use_database: Callable[[str], None], hostile_db_url: str) -> None:
    """The check above can fail: the leaderboard shows the department names (escaped)."""
    at = _open(use_database, hostile_db_url, "pages/teams.py", {"period": "2026-11", "print": "1"})
    text = json.dumps([MessageToDict(e.proto) for e in _elements(at._tree)], ensure_ascii=False)
    assert "点我" in text and EVIL_HOST in text and "javascript\u2060" in text
