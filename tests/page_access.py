"""Open a page as a role: "no access" is either the page's refusal or a navigation without it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from data_access.access.permissions import Actor

NO_ACCESS = ("无权访问", "No access")


def open_as(app_factory: Callable[..., AppTest], url: str, page: str, actor: Actor,
            params: dict[str, str] | None = None) -> tuple[AppTest | None, bool]:
    """(the app, whether the page was offered); a page the role's navigation lacks is not offered."""
    try:
        return app_factory(url, page=page, params=params, actor=actor), True
    except ValueError as error:
        if "Could not find a navigation page" not in str(error):
            raise
        return None, False


def refused(at: AppTest) -> bool:
    """The page says "no access" (zh or en)."""
    return any(any(word in e.value for word in NO_ACCESS) for e in at.error)


def page_text(at: AppTest) -> str:
    """Everything the page holds: every element's text, table cells, chart specs and map data."""
    parts: list[str] = []

    def walk(node: object) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
            return
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        if type(node).__name__ in ("Dataframe", "Table"):
            with contextlib.suppress(Exception):  # an element without a frame adds nothing
                parts.append(node.value.to_string())  # type: ignore[attr-defined]

    walk(at._tree)
    return "\n".join(parts)
