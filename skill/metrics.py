"""Prometheus metrics (prometheus-client), one set per app, served at GET /metrics.

Under `cramp-relief serve` several gunicorn workers answer requests; the serve command gives
them a shared PROMETHEUS_MULTIPROC_DIR, so each worker writes its counts there and /metrics, from
whichever worker answers it, sums them all (prometheus-client's multiprocess mode). Labels take
only bounded values: an intent name or a reason that is not one of ours becomes "other".
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.storage import PersistenceError

if TYPE_CHECKING:
    from prometheus_client import Counter, Histogram

log = logging.getLogger(__name__)

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"
MAX_LABEL_VALUES: Final = 200
_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.]{0,79}")
_SENTENCE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_. ,'-]{0,79}")
# Alexa gives up at 8 s; most answers take about a millisecond.
LATENCY_BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 8.0)


class _Bounded:
    """Label values as given while they look like names and are among the first
    MAX_LABEL_VALUES distinct ones; anything else is "other"."""

    def __init__(self, pattern: re.Pattern[str] = _NAME) -> None:
        self._pattern = pattern
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        if value == "-" or not self._pattern.fullmatch(value):
            return "-" if value == "-" else "other"
        with self._lock:
            if len(self._seen) >= MAX_LABEL_VALUES:
                return "other"
            self._seen.add(value)
        return value


def reason_label(reason: str) -> str:
    """A 400's reason without its details ("certificate chain not trusted: ..." -> the part
    before the colon), as a label: our reasons are a fixed set of sentences."""
    return reason.split(":", 1)[0].strip()[:80] or "other"


class Metrics:
    """The skill's counters and histogram, and their text exposition."""

    def __init__(self) -> None:
        # Imported here, not at the top: prometheus-client picks multiprocess mode when first
        # imported, and `serve` sets PROMETHEUS_MULTIPROC_DIR only just before the workers start.
        from prometheus_client import CollectorRegistry, Counter, Histogram, values

        self._multiprocess = bool(os.environ.get(MULTIPROC_ENV))
        if self._multiprocess and values.ValueClass is values.MutexValue:
            log.warning(
                "prometheus-client was loaded before %s was set: /metrics shows one "
                "worker's counts only",
                MULTIPROC_ENV,
            )
            self._multiprocess = False
        self.registry = CollectorRegistry()
        self._types, self._intents, self._reasons = _Bounded(), _Bounded(), _Bounded(_SENTENCE)
        self.requests: Counter = Counter(
            "cramp_relief_requests",
            "Requests to /alexa, by request type, intent and HTTP status",
            ["type", "intent", "status"],
            registry=self.registry,
        )
        self.bad_requests: Counter = Counter(
            "cramp_relief_bad_requests",
            "Requests to /alexa answered 400, by reason",
            ["reason"],
            registry=self.registry,
        )
        self.certificates: Counter = Counter(
            "cramp_relief_certificate_lookups",
            "Signing-certificate lookups by outcome: cached, shared (waited on another "
            "request's fetch), remembered_failure, rate_limited, or a fetch's result (ok, "
            "unreachable, unparsable, untrusted, not_rsa)",
            ["outcome"],
            registry=self.registry,
        )
        self.persistence_errors: Counter = Counter(
            "cramp_relief_persistence_errors",
            "Failures of the store (routine places, reminders, replayed ids), by operation: read, "
            "save, delete, ping, claim (a request id not recorded)",
            ["operation"],
            registry=self.registry,
        )
        self.latency: Histogram = Histogram(
            "cramp_relief_request_seconds",
            "Time to answer a request to /alexa",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def request(self, request_type: str, intent: str, status: int, seconds: float) -> None:
        self.requests.labels(self._types(request_type), self._intents(intent), str(status)).inc()
        self.latency.observe(seconds)

    def bad_request(self, reason: str) -> None:
        self.bad_requests.labels(self._reasons(reason_label(reason))).inc()

    def certificate(self, outcome: str) -> None:
        self.certificates.labels(outcome).inc()

    def persistence_error(self, operation: str) -> None:
        self.persistence_errors.labels(operation).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The text format and its content type, summed over workers in multiprocess mode."""
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector

        if not self._multiprocess:
            return generate_latest(self.registry), CONTENT_TYPE_LATEST
        merged = CollectorRegistry()
        MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
        return generate_latest(merged), CONTENT_TYPE_LATEST


class CountedPersistence(AbstractPersistenceAdapter):
    """A persistence adapter that counts the wrapped one's failures (PersistenceError).

    Everything else is the wrapped adapter's, including its ping() for /readyz.
    """

    def __init__(self, inner: AbstractPersistenceAdapter, count: Callable[[str], None]) -> None:
        self._inner = inner
        self._count = count

    def get_attributes(self, request_envelope: RequestEnvelope) -> Any:
        return self._call("read", self._inner.get_attributes, request_envelope)

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: Any) -> None:
        self._call("save", self._inner.save_attributes, request_envelope, attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self._call("delete", self._inner.delete_attributes, request_envelope)

    def ping(self) -> None:
        """Raise PersistenceError unless the store answers (see skill.ops.Pingable)."""
        check = getattr(self._inner, "ping", None)
        if check is not None:  # an adapter without ping() cannot be checked: taken as up
            self._call("ping", check)

    def _call(self, operation: str, method: Callable[..., Any], *args: Any) -> Any:
        try:
            return method(*args)
        except PersistenceError:
            self._count(operation)
            raise
