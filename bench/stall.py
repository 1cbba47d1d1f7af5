"""Section 6: ordinary requests while slow clients hold connections, per gunicorn worker model.

For each worker model (`serve`'s default, gevent with deadlines; plain sync workers; gthread with
16 threads), one server as `serve` runs it, two workers, on 127.0.0.1; then 0, 10 and 50 slow
clients (bench.slowclients) while signed LaunchRequests are sent one after another, each on a new
connection, waiting at most 8 s for an answer as Alexa does. Bounded: at most `count` requests or
`seconds` per level, and the slow clients stop with their level.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Final

from bench.common import Signed
from bench.served import Server
from bench.slowclients import Latency, Timed, ordinary_requests, slow_clients, timed_post

ALEXA_WAIT_SECONDS = 8.0
TARGET_SECONDS = 1.0
SLOW_LEVELS = (0, 10, 50)
MODELS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "gevent (serve's default)": ("--worker-class", "gevent"),
        "sync": ("--worker-class", "sync"),
        "gthread, 16 threads": ("--worker-class", "gthread", "--threads", "16"),
    }
)


@dataclass(frozen=True)
class Row:
    model: str
    slow: int
    latency: Latency


def _send(port: int, resign: Callable[[], Signed]) -> Timed:
    signed = resign()
    return timed_post(port, signed.body, signed.headers, timeout=ALEXA_WAIT_SECONDS)


def run(workdir: Path, resign: Callable[[], Signed], count: int, seconds: float) -> list[Row]:
    rows: list[Row] = []
    for model, extra in MODELS.items():
        server = Server(workdir, workers=2, extra=extra)
        try:
            server.first_200("/alexa", resign())
            for slow in SLOW_LEVELS:
                with slow_clients(server.port, slow, max_seconds=seconds + 30):
                    time.sleep(0.5)  # every slow client is connected and part-way in
                    latency = ordinary_requests(
                        partial(_send, server.port, resign), count=count, max_seconds=seconds
                    )
                rows.append(Row(model, slow, latency))
        finally:
            server.stop()
    return rows


def report(rows: list[Row], count: int, seconds: float) -> list[str]:
    lines = [
        "6. Slow clients: signed LaunchRequests one after another (new connection each, 8 s "
        f"wait, up to {count} or {seconds:.0f} s per row) while slow clients send half "
        "requests a byte every 0.2 s (half dripping headers, half bodies), 2 workers each",
        "",
        "| worker model | slow clients | requests | answered within 1 s | p50 ms | p99 ms | "
        "max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        latency = row.latency
        within = len(latency.timings) - latency.slower_than(TARGET_SECONDS)
        lines.append(
            f"| {row.model} | {row.slow} | {len(latency.timings)} | {within} | "
            f"{latency.p50_ms:.1f} | {latency.p99_ms:.1f} | {latency.max_ms:.1f} |"
        )
    return lines


def passed(rows: list[Row]) -> bool:
    """Every ordinary request answered within 1 s under the default model, at every level."""
    return all(
        row.latency.slower_than(TARGET_SECONDS) == 0
        for row in rows
        if row.model == next(iter(MODELS))
    )
