"""GET /healthz (the process answers), /readyz (it can do its work), /metrics (Prometheus).

/readyz is 200 only when the store for routine places answers and the content is loaded; else
503 with a JSON reason, so a load balancer can take this host out until it recovers; either way
it names the store's backend. The skill itself still speaks relief when the store is down;
readiness is for operators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from flask import Blueprint, Response, current_app, jsonify

from skill.metrics import Metrics
from skill.storage import PersistenceError

blueprint = Blueprint("ops", __name__)
EXTENSION = "cramp_relief_ops"


class Pingable(Protocol):
    """A persistence adapter /readyz can check."""

    def ping(self) -> None:
        """Return if the store answers a trivial query; raise PersistenceError if not."""


@dataclass(frozen=True)
class Operations:
    """What /readyz and /metrics look at, built once per app by create_app."""

    metrics: Metrics
    persistence: Pingable | None
    # The store's backend ("sqlite", "postgresql", "dynamodb"), reported by /readyz.
    backend: str | None
    # Returns why the content is not usable, or None when it is.
    content_problem: Callable[[], str | None]

    def not_ready(self) -> str | None:
        """Why this app cannot do its work right now, or None."""
        if self.persistence is None:
            return "persistence is off: its store could not be opened at start (see the log)"
        try:
            self.persistence.ping()
        except PersistenceError as err:
            return f"persistence does not answer: {err}"
        return self.content_problem()


def _operations() -> Operations:
    operations: Operations = current_app.extensions[EXTENSION]
    return operations


@blueprint.get("/healthz")
def healthz() -> tuple[Response, int]:
    return jsonify({"status": "ok"}), 200


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    operations = _operations()
    reason = operations.not_ready()
    if reason is not None:
        body = {"status": "not ready", "reason": reason, "backend": operations.backend}
        return jsonify(body), 503
    return jsonify({"status": "ready", "backend": operations.backend}), 200


@blueprint.get("/metrics")
def metrics() -> Response:
    body, content_type = _operations().metrics.exposition()
    response: Response = current_app.response_class(body, content_type=content_type)
    return response
