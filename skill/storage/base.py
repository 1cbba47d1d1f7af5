"""What every store shares: the interface, the error, user-id hashing and row decoding.

A store is an ask-sdk-core persistence adapter (one JSON object of attributes per user, keyed by a
salted SHA-256 of the Alexa user id so no backend ever holds the clear id), plus the replay table
(request ids already answered, each with an expiry) and a cheap reachability check for /readyz.
Any trouble surfaces as :class:`PersistenceError`; callers log it and carry on without the store,
so relief is always spoken.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.request_envelope import RequestEnvelope

__all__ = ["Changes", "PersistenceError", "Store", "decode_attributes", "encode_attributes"]

logger = logging.getLogger("skill.storage")

# A shorter salt would make the stored hashes cheap to reverse for a known set of user ids.
MIN_SALT_BYTES = 16
SALT_BYTES = 32


class PersistenceError(Exception):
    """The store could not be used; the message never contains a user id."""


@dataclass(frozen=True)
class Changes:
    """A save as top-level keys set and removed, relative to what this request loaded."""

    full: dict[str, object]
    set: dict[str, object]
    removed: tuple[str, ...]
    # Nothing was loaded first: the row is simply replaced by `full`.
    blind: bool
    # `full` as stored: compact JSON, encoded once when the save was checked.
    full_json: str


class Store(AbstractPersistenceAdapter, ABC):
    """One backend: persistent attributes per hashed user, the replay table, and a ping.

    A save is applied as the top-level keys this request changed since it loaded the row, so two
    requests for one person that change different keys at the same time (a routine position and a
    reminder setting) both land; a save without a load in the same request replaces the row.
    """

    backend: str = "?"

    def __init__(self) -> None:
        # (user hash, request id) -> the attributes that request loaded; per thread, since each
        # thread answers one request at a time.
        self._loaded = threading.local()

    # --- ask-sdk-core's interface ------------------------------------------------------------

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, object]:
        user_hash = self._user_hash(request_envelope)
        if user_hash is None:
            return {}
        attributes = self._load(user_hash)
        # A deep copy: a handler that changes a nested value in place must still show a change.
        snapshot = copy.deepcopy(attributes)
        self._loaded.snapshot = (user_hash, _request_id(request_envelope), snapshot)
        return attributes

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, object]
    ) -> None:
        user_hash = self._user_hash(request_envelope)
        if user_hash is None:
            return
        # Refuse what cannot be stored before touching the store.
        encoded = encode_attributes(attributes)
        before: dict[str, object] | None = None
        snapshot = getattr(self._loaded, "snapshot", None)
        if snapshot is not None and snapshot[:2] == (user_hash, _request_id(request_envelope)):
            before = snapshot[2]
        self._loaded.snapshot = None
        self._save(user_hash, changes_between(before, attributes, encoded))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        user_hash = self._user_hash(request_envelope)
        if user_hash is None:
            return
        self._loaded.snapshot = None
        self._delete(user_hash)

    # --- what each backend provides ------------------------------------------------------------

    @abstractmethod
    def salt(self) -> bytes:
        """This install's salt for user-id hashes (created once, on first use)."""

    @abstractmethod
    def _load(self, user_hash: str) -> dict[str, object]: ...

    @abstractmethod
    def _save(self, user_hash: str, changes: Changes) -> None: ...

    @abstractmethod
    def _delete(self, user_hash: str) -> None: ...

    @abstractmethod
    def claim_request(self, request_id: str, expires_at: float, now: float) -> bool:
        """Record `request_id` as answered until `expires_at` (epoch seconds); False if it was
        already recorded and has not expired at `now` (a replay)."""

    @abstractmethod
    def ping(self) -> None:
        """Raise PersistenceError unless the store answers (for /readyz and `db check`)."""

    @abstractmethod
    def check(self) -> str:
        """Say whether the store is reachable and its schema current, without changing it;
        PersistenceError if it is not usable (for `db check`)."""

    @abstractmethod
    def migrate(self) -> str:
        """Create or upgrade the schema (idempotent); returns what was done, for `db migrate`."""

    def describe(self) -> str:
        """Where the data lives, without any password (for logs and `db check`)."""
        return self.backend

    def close(self) -> None:
        """Release connections and threads (commands, tests); a store closed is reopened by its
        next use. Nothing to release by default."""

    # --- shared helpers --------------------------------------------------------------------------

    def _user_hash(self, request_envelope: RequestEnvelope) -> str | None:
        user_id = _user_id(request_envelope)
        if user_id is None:
            return None
        return hash_user(self.salt(), user_id)


def hash_user(salt: bytes, user_id: str) -> str:
    """The key a user's row is stored under: hex SHA-256 of salt + id."""
    # surrogatepass: ids arrive via JSON, which can carry lone surrogates; never crash on them.
    return hashlib.sha256(salt + user_id.encode("utf-8", "surrogatepass")).hexdigest()


def changes_between(
    before: Mapping[str, object] | None, after: dict[str, object], after_json: str
) -> Changes:
    """The save of `after` (encoded as `after_json`) over what was loaded, `before`."""
    if before is None:
        return Changes(full=after, set=after, removed=(), blind=True, full_json=after_json)
    changed = {key: value for key, value in after.items() if before.get(key, _MISSING) != value}
    removed = tuple(key for key in before if key not in after)
    return Changes(full=after, set=changed, removed=removed, blind=False, full_json=after_json)


def merge(current: Mapping[str, object], changes: Changes) -> dict[str, object]:
    """Apply `changes` to the row as it is now in the store."""
    merged = {key: value for key, value in current.items() if key not in changes.removed}
    merged.update(changes.set)
    return merged


_MISSING = object()


class Breaker:
    """After a failure to reach a server, calls fail at once for a moment, rather than each one
    waiting out its own timeout: a request makes up to three calls, and all of them waiting
    would come near Alexa's 8 s."""

    def __init__(self, pause: float = 1.0) -> None:
        self._pause = pause
        self._until = 0.0

    def check(self, action: str) -> None:
        if time.monotonic() < self._until:
            raise PersistenceError(f"cannot {action}: the database failed a moment ago")

    def tripped(self) -> None:
        self._until = time.monotonic() + self._pause


class Every:
    """True from `due` at most once per `seconds` (per process): for pruning expired rows."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._next = 0.0
        self._lock = threading.Lock()

    def due(self, now: float) -> bool:
        with self._lock:
            if now < self._next:
                return False
            self._next = now + self._seconds
            return True


def encode_attributes(attributes: Mapping[str, object]) -> str:
    """Compact JSON of `attributes`; PersistenceError for anything JSON cannot hold."""
    try:
        return json.dumps(attributes, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise PersistenceError(
            f"attributes are not JSON-serialisable ({type(exc).__name__})"
        ) from None


def decode_attributes(raw: object) -> dict[str, object]:
    """Parse a stored row defensively: anything but a JSON object becomes {} (and is logged)."""
    try:
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogatepass")
        if not isinstance(raw, bytes):
            raise TypeError(f"column holds {type(raw).__name__}")
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, TypeError, RecursionError) as exc:
        logger.warning("ignoring unreadable persistent attributes row (%s)", type(exc).__name__)
        return {}
    if not isinstance(value, dict):
        logger.warning("ignoring persistent attributes row holding a %s", type(value).__name__)
        return {}
    return value


def _request_id(request_envelope: RequestEnvelope) -> str | None:
    request = request_envelope.request
    request_id = getattr(request, "request_id", None)
    return request_id if isinstance(request_id, str) else None


def _user_id(request_envelope: RequestEnvelope) -> str | None:
    """The Alexa user id from context.system.user, else session.user; None if absent or empty."""
    context = request_envelope.context
    if context is not None and context.system is not None and context.system.user is not None:
        user_id = context.system.user.user_id
        if isinstance(user_id, str) and user_id:
            return user_id
    session = request_envelope.session
    if session is not None and session.user is not None:
        user_id = session.user.user_id
        if isinstance(user_id, str) and user_id:
            return user_id
    return None
