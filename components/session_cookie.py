"""The session cookie: written by the app's own HTTP route, read with ``st.context.cookies``.

Streamlit scripts cannot send HTTP headers, so the script never writes the cookie itself.
``dashboard.py`` serves the app as ``st.App`` (Streamlit 1.67's ASGI app) with one extra
route, :data:`ROUTE`. After a successful sign-in the script stores the session token under a
one-time *hand-off code* (random, single use, 60 seconds) in this process and renders an
invisible same-origin frame that POSTs the code to the route; the route answers with
``Set-Cookie`` (HttpOnly, SameSite=Strict, Secure when configured). So the token never
appears in page HTML, JavaScript or a URL. Sign-out hands off an empty token, which clears
the cookie. See docs/security.md for why this and not a JavaScript cookie component.
"""

from __future__ import annotations

import json
import secrets
import threading
import time

COOKIE_NAME = "lmd_session"
ROUTE = "/_lmd/session"
HANDOFF_SECONDS = 60.0

_lock = threading.Lock()
_pending: dict[str, tuple[str, float]] = {}  # code -> (token, "" to clear; expiry on the monotonic clock)
_redeemed: dict[str, float] = {}  # codes already used, so the page stops rendering their frame


def issue_handoff(token: str) -> str:
    """A one-time code under which the route will set ``token`` as the cookie ('' clears it)."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for stale in [c for c, (_, until) in _pending.items() if until < now]:
            del _pending[stale]
        for stale in [c for c, until in _redeemed.items() if until < now]:
            del _redeemed[stale]
        _pending[code] = (token, now + HANDOFF_SECONDS)
    return code


def redeem(code: str) -> str | None:
    """The token handed off under ``code`` (once), or None for an unknown or expired code."""
    now = time.monotonic()
    with _lock:
        found = _pending.pop(code, None)
        if found is None or found[1] < now:
            return None
        _redeemed[code] = now + HANDOFF_SECONDS
    return found[0]


def is_settled(code: str) -> bool:
    """True once the browser has redeemed ``code`` or it has expired (its frame can go)."""
    with _lock:
        pending = _pending.get(code)
        return code in _redeemed or pending is None or pending[1] < time.monotonic()


def handoff_frame(code: str) -> str:
    """HTML of the invisible frame that redeems ``code`` (same origin: the cookie lands on the app)."""
    return (
        "<script>fetch(window.parent.location.origin + " + json.dumps(ROUTE) + ", {method: 'POST', "
        "credentials: 'same-origin', headers: {'Content-Type': 'text/plain'}, body: " + json.dumps(code) + "});"
        "</script>"
    )


def routes() -> list:
    """The Starlette route that sets or clears the cookie (mounted by ``dashboard.py``)."""
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from data_access.access.settings import auth_settings

    async def set_cookie(request: Request) -> Response:
        body = (await request.body())[:200].decode("ascii", errors="replace")
        token = redeem(body.strip())
        if token is None:
            return Response(status_code=400)
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        secure = auth_settings().cookie_secure
        if token:
            # No Max-Age: a browser-session cookie. The server's idle timeout ends it earlier.
            response.set_cookie(COOKIE_NAME, token, path="/", httponly=True, samesite="strict", secure=secure)
        else:
            response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict", secure=secure)
        return response

    return [Route(ROUTE, set_cookie, methods=["POST"])]
