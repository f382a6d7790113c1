"""The one escaping helper (components.escape): data and URL text render as their characters."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from components.escape import html_text, md, plain, url_echo

HOSTILE = [
    "[点这里](javascript:alert(1))",
    "![x](http://evil.example/x.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "城区\u202e部务服",
    "万\u200b家",
    ":red[红色] **粗** `code` $x$ # 标题",
    "https://evil.example/a",
]
# An unescaped markdown link/image opener, raw tag, or control character.
UNSAFE = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|<[a-zA-Z/!]|[\u202a-\u202e\u2066-\u2069\u200b-\u200f]|(?<!\\):[a-z]+\["
                    r"|(?i:(?:https?|ftp|mailto|javascript)\\?:|www\\?\.)|\w\\?@")


def test_hostile_names_are_escaped() -> None:
    for name in HOSTILE:
        assert not UNSAFE.search(md(name)), md(name)
    assert md("[a](javascript:x)") == "\\[a\\]\\(javascript\u2060\\:x\\)"
    assert md("东城http://evil.example") == "东城http\u2060://evil.example"  # no bare-URL autolink
    assert md("<img src=x>") == "&lt;img src=x&gt;"
    assert md("- 列表") == "\\- 列表" and md("12. 项") == "12\\. 项" and md("# 标题") == "\\# 标题"
    assert md("2026-11-03 09:30 · 90.59 · 50%") == "2026-11-03 09:30 · 90.59 · 50%"  # figures read the same
    assert md(":material/home: :red[x]") == "\\:material/home: \\:red\\[x\\]"
    assert md("R&D") == "R&amp;D"
    assert html_text("<b>\u202eA&B</b>") == "&lt;b&gt;A&amp;B&lt;/b&gt;"
    assert plain("a\nb\u200bc\u202e") == "a bc"
    assert md("城区服务部") == "城区服务部"  # plain Chinese names pass unchanged


def test_url_echo_is_cut_short() -> None:
    echoed = url_echo("![x](http://evil.example/" + "a" * 500 + ")")
    assert len(echoed) < 80 and echoed.endswith("…") and echoed.startswith(r"\!\[x\]\(")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_escapes_to_something_safe(text) -> None:
    assert not UNSAFE.search(md(text))
    assert "<" not in html_text(text) and ">" not in html_text(text)
