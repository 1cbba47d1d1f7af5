"""Refusing replays: a request id already answered within the timestamp window gets HTTP 400.

The ids live in the shared store, so a replay is caught whichever worker or host it reaches,
with a bounded in-process cache in front that answers repeats without a round trip. The store is
never a reason to keep relief from someone: when it cannot be reached the request is answered
(checked against this process's cache only), and that is logged once until the store is back.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from skill.storage.base import PersistenceError, Store

__all__ = ["ReplayGuard"]

log = logging.getLogger("skill.storage")

MAX_REQUEST_ID = 256


class ReplayGuard:
    """Remembers answered request ids until no timestamp check could accept them again."""

    def __init__(
        self,
        store: Store | None,
        *,
        cache_size: int = 10_000,
        count_failure: Callable[[str], None] | None = None,
    ) -> None:
        self._store = store
        # Told "claim" each time the store could not record an id (the metrics' counter).
        self._count_failure = count_failure
        self._cache_size = cache_size
        self._cache: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._store_failing = False

    def seen_before(self, request_id: str, now: datetime, window: float) -> bool:
        """Record `request_id` as answered; True if it had been answered already (a replay).

        `window` is the timestamp check's tolerance in seconds: a timestamp may be that far ahead
        of our clock and is then accepted for as long again, so the id is kept for twice that.
        """
        at = now.timestamp()
        with self._lock:
            expiry = self._cache.get(request_id)
            if expiry is not None and expiry > at:
                return True
        expires_at = at + 2 * window
        fresh = self._claim(request_id, expires_at, at)
        with self._lock:
            self._cache[request_id] = expires_at
            self._cache.move_to_end(request_id)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return not fresh

    def _claim(self, request_id: str, expires_at: float, now: float) -> bool:
        if self._store is None:
            return True
        try:
            fresh = self._store.claim_request(request_id, expires_at, now)
        except PersistenceError as err:
            if self._count_failure is not None:
                self._count_failure("claim")
            if not self._store_failing:
                self._store_failing = True
                log.error(
                    "replays are checked in this process only until the store answers again: %s",
                    err,
                )
            return True
        if self._store_failing:
            self._store_failing = False
            log.warning("the store answers again; replays are checked across hosts")
        return fresh
