"""One translation catalogue for the whole UI: Simplified Chinese (default) and English.

Each page keeps its messages in its own module (``MESSAGES = {key: (zh, en)}``) so work on
one page never touches another's strings; they are merged here and a key defined twice
is an error at import time. ``t(key)`` raises ``KeyError`` for an unknown key, and a test
checks every ``t("...")`` literal in the code against this catalogue.
"""

from __future__ import annotations

from importlib import import_module

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}
_SESSION_KEY = "ui_language"

_MODULES = ("common", "comparisons", "overview", "sales", "terminals", "routes", "teams", "meeting", "imports",
            "access", "time", "auth")


def _load() -> dict[str, tuple[str, str]]:
    catalogue: dict[str, tuple[str, str]] = {}
    for name in _MODULES:
        try:
            module = import_module(f"components.i18n.{name}")
        except ModuleNotFoundError:
            continue
        for key, value in module.MESSAGES.items():
            if key in catalogue:
                raise ValueError(f"translation key {key!r} defined twice (again in {name})")
            catalogue[key] = value
    return catalogue


CATALOGUE: dict[str, tuple[str, str]] = _load()


# Outside a script run (AppTest formatting widget labels after a run, CLI tools) there is
# no session: fall back to the language most recently chosen in this process.
_last_language = DEFAULT_LANGUAGE


def get_language() -> str:
    """The UI language of this browser session (zh unless the user chose otherwise)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return _last_language
    lang = st.session_state.get(_SESSION_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    global _last_language
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    st.session_state[_SESSION_KEY] = lang
    _last_language = lang


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The message ``key`` in the current language, with ``{placeholders}`` filled."""
    zh, en = CATALOGUE[key]
    text = en if (lang or get_language()) == "en" else zh
    return text.format(**values) if values else text


def tm(key: str, lang: str | None = None, **values: object) -> str:
    """:func:`t` for markdown (alerts, captions, headers, ``st.markdown``): every value filled
    in is escaped (``components.escape.md``), so a name from data or a URL stays text."""
    from components.escape import md

    return t(key, lang, **{name: md(value) for name, value in values.items()})


def label(prefix: str, code: object, lang: str | None = None) -> str:
    """Translate a stored code (``business_format``, ``terminal_level``, ...): ``prefix.code``.

    Unknown codes (e.g. a new format in imported data) are shown as they are.
    """
    key = f"{prefix}.{code}"
    return t(key, lang) if key in CATALOGUE else str(code)
