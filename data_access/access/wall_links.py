"""Wall-display links: ``/meeting?wall=TOKEN`` opens the meeting page only, until revoked.

The token is shown once when the link is created; the table keeps its SHA-256.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from data_access.access import audit
from data_access.access.permissions import Action, Actor, Role, require
from data_access.access.sessions import new_token, now_utc, token_hash
from data_access.access.users import UserError
from data_access.models.access import WallLink


def wall_actor(link: WallLink) -> Actor:
    return Actor(user_id=None, login=f"wall-link-{link.id}", display_name=link.label, role=Role.WALL)


def create_wall_link(session: Session, actor: Actor, label: str, *,
                     now: dt.datetime | None = None) -> tuple[str, WallLink]:
    """A new link; returns the token (to show once) and the row."""
    require(actor, Action.MANAGE_WALL_LINKS)
    label = (label or "").strip()
    if not label or len(label) > 100:
        raise UserError("bad_label")
    now = now or now_utc()
    token = new_token()
    link = WallLink(token_hash=token_hash(token), label=label, created_by=actor.user_id, created_at=now)
    session.add(link)
    session.flush()
    audit.record(session, actor, "wall_link.create", f"wall link {link.id} {label}", after={"label": label}, at=now)
    return token, link


def revoke_wall_link(session: Session, actor: Actor, link_id: int, *, now: dt.datetime | None = None) -> None:
    require(actor, Action.MANAGE_WALL_LINKS)
    now = now or now_utc()
    link = session.get(WallLink, link_id)
    if link is None:
        raise UserError("unknown_wall_link")
    if link.revoked_at is None:
        link.revoked_at = now
        session.add(link)
        audit.record(session, actor, "wall_link.revoke", f"wall link {link.id} {link.label}", at=now)


def list_wall_links(session: Session, actor: Actor) -> list[dict[str, Any]]:
    require(actor, Action.MANAGE_WALL_LINKS)
    links = session.exec(select(WallLink).order_by(WallLink.id)).all()
    return [{"id": link.id, "label": link.label, "created_by": link.created_by, "created_at": link.created_at,
             "revoked_at": link.revoked_at} for link in links]


def resolve_wall_link(session: Session, token: str | None) -> Actor | None:
    """The wall actor of a link that exists and is not revoked; None otherwise."""
    if not token or len(token) > 200:
        return None
    link = session.exec(select(WallLink).where(WallLink.token_hash == token_hash(token))).first()
    if link is None or link.revoked_at is not None:
        return None
    return wall_actor(link)
