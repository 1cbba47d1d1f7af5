"""Validated signing keys by canonical certificate URL, kept so that no request can abuse fetching.

The certificate has to be fetched before a signature can be checked, so anyone on the internet
can make the skill fetch: every request names its own URL. Hence, per process:
- a chain that verified is kept until its first certificate expires (a bounded LRU, in which
  chains that have verified a real signature are evicted last, so a flood of new URLs never
  pushes out the good one);
- a URL that failed (unreachable, unparsable, untrusted) is remembered for a minute and answered
  from memory, not fetched again;
- concurrent requests for one URL share one fetch;
- at most `max_fetches` fetches start in any minute; past that, a new URL is refused unfetched.
`would_fetch` tells the caller beforehand, so that it can refuse a request that could not be
genuine (skill.endpoint: a stale timestamp, another skill's id) before it spends a fetch.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from skill.verification.cert_fetch import FETCH_TIMEOUT_SECONDS
from skill.verification.errors import VerificationError

NEGATIVE_TTL_SECONDS: Final = 60.0
MAX_FETCHES_PER_MINUTE: Final = 60
MAX_REMEMBERED_FAILURES: Final = 1024
_WINDOW_SECONDS: Final = 60.0
# A follower waits for the leader's fetch, which gives up by itself after FETCH_TIMEOUT_SECONDS.
_FOLLOW_TIMEOUT_SECONDS: Final = FETCH_TIMEOUT_SECONDS + 2.0


class ChainRejected(VerificationError):
    """A fetched chain could not be used; `outcome` names why, for metrics."""

    def __init__(self, reason: str, outcome: str) -> None:
        super().__init__(reason)
        self.outcome = outcome


@dataclass(frozen=True)
class CachedKey:
    """The signing key of a chain that verified, and the window in which the chain is valid."""

    key: RSAPublicKey
    not_before: datetime
    not_after: datetime

    def valid_at(self, now: datetime) -> bool:
        return self.not_before <= now <= self.not_after


@dataclass
class _Flight:
    """One fetch in progress, which later requests for the same URL wait on."""

    done: threading.Event = field(default_factory=threading.Event)
    entry: CachedKey | None = None
    error: str = "could not fetch the signing certificate"


Observer = Callable[[str], None]


class ChainCache:
    """Looks up keys by canonical URL; `load(url, now)` fetches and verifies on a miss.

    `observe` hears each lookup's outcome: "cached", "shared", "remembered_failure",
    "rate_limited", "ok", or a ChainRejected outcome ("unreachable", "untrusted", ...).
    """

    def __init__(
        self,
        load: Callable[[str, datetime], CachedKey],
        *,
        size: int = 64,
        negative_ttl: float = NEGATIVE_TTL_SECONDS,
        max_fetches: int = MAX_FETCHES_PER_MINUTE,
        monotonic: Callable[[], float] = time.monotonic,
        observe: Observer | None = None,
    ) -> None:
        if size < 0:
            raise ValueError("cache_size must not be negative")
        self._load = load
        self._size = size
        self._negative_ttl = negative_ttl
        self._max_fetches = max_fetches
        self._monotonic = monotonic
        self._observe: Observer = observe or (lambda outcome: None)
        self._good: OrderedDict[str, CachedKey] = OrderedDict()
        self._proven: set[str] = set()
        self._failed: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._flights: dict[str, _Flight] = {}
        self._started: deque[float] = deque()
        self._lock = threading.Lock()

    def key_for(self, url: str, now: datetime) -> RSAPublicKey:
        """The signing key at canonical `url`; VerificationError if it cannot be had."""
        with self._lock:
            outcome, flight = self._lookup(url, now)
        if isinstance(outcome, CachedKey):
            self._observe("cached")
            return outcome.key
        if outcome is not None:
            self._observe(outcome[0])
            raise VerificationError(outcome[1])
        if flight is not None:
            self._observe("shared")
            return self._follow(flight)
        return self._lead(url, now)

    def would_fetch(self, url: str, now: datetime) -> bool:
        """Whether a lookup of canonical `url` now would start a fetch (no usable key, no
        remembered failure, no fetch in flight to share)."""
        with self._lock:
            entry = self._good.get(url)
            if entry is not None and entry.valid_at(now):
                return False
            failed = self._failed.get(url)
            if failed is not None and failed[0] > self._monotonic():
                return False
            return url not in self._flights

    def prove(self, url: str) -> None:
        """Mark `url`'s chain as one that verified a real signature: evicted last."""
        with self._lock:
            if url in self._good:
                self._proven.add(url)

    def _lookup(
        self, url: str, now: datetime
    ) -> tuple[CachedKey | tuple[str, str] | None, _Flight | None]:
        """Under the lock: a cached key, a refusal (outcome, reason), a flight to follow, or
        (None, None) when this caller is to fetch (its flight is then registered)."""
        entry = self._good.get(url)
        if entry is not None:
            if entry.valid_at(now):
                self._good.move_to_end(url)
                return entry, None
            del self._good[url]
            self._proven.discard(url)
        failed = self._failed.get(url)
        if failed is not None:
            if failed[0] > self._monotonic():
                return ("remembered_failure", failed[1]), None
            del self._failed[url]
        flight = self._flights.get(url)
        if flight is not None:
            return None, flight
        if not self._take_fetch_slot():
            reason = "too many certificate fetches in the last minute; try again later"
            return ("rate_limited", reason), None
        self._flights[url] = _Flight()
        return None, None

    def _take_fetch_slot(self) -> bool:
        clock = self._monotonic()
        while self._started and self._started[0] <= clock - _WINDOW_SECONDS:
            self._started.popleft()
        if len(self._started) >= self._max_fetches:
            return False
        self._started.append(clock)
        return True

    def _follow(self, flight: _Flight) -> RSAPublicKey:
        flight.done.wait(_FOLLOW_TIMEOUT_SECONDS)
        if flight.entry is None:
            raise VerificationError(flight.error)
        return flight.entry.key

    def _lead(self, url: str, now: datetime) -> RSAPublicKey:
        with self._lock:
            flight = self._flights[url]
        try:
            entry = self._load(url, now)
        except ChainRejected as err:
            flight.error = str(err)
            self._remember_failure(url, flight.error)
            self._observe(err.outcome)
            raise
        finally:
            with self._lock:
                del self._flights[url]
            flight.done.set()
        flight.entry = entry
        self._keep(url, entry)
        self._observe("ok")
        return entry.key

    def _remember_failure(self, url: str, reason: str) -> None:
        with self._lock:
            self._failed[url] = (self._monotonic() + self._negative_ttl, reason)
            self._failed.move_to_end(url)
            while len(self._failed) > MAX_REMEMBERED_FAILURES:
                self._failed.popitem(last=False)

    def _keep(self, url: str, entry: CachedKey) -> None:
        with self._lock:
            self._good[url] = entry
            self._good.move_to_end(url)
            while len(self._good) > self._size:
                # The newest entry is never its own victim: it is about to be used.
                victim = next((u for u in self._good if u not in self._proven and u != url), None)
                if victim is None:
                    victim, _ = self._good.popitem(last=False)
                else:
                    del self._good[victim]
                self._proven.discard(victim)
