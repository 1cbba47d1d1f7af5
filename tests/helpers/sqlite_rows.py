"""What the SQLite store tests share: a salt, a user id to hunt for, envelopes and row keys."""

from __future__ import annotations

import hashlib

from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.session import Session
from ask_sdk_model.user import User

SALT = bytes(range(32))

SECRET_ID = "amzn1.ask.account.SECRET-USER-ID-3f9a7c"


def envelope(user_id: str | None, *, via_session: bool = False) -> RequestEnvelope:
    """A request envelope carrying user_id in context.system.user (or only in session.user)."""
    if user_id is None:
        return RequestEnvelope()
    if via_session:
        return RequestEnvelope(session=Session(user=User(user_id=user_id)))
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))


def user_hash(salt: bytes, user_id: str) -> str:
    return hashlib.sha256(salt + user_id.encode()).hexdigest()
