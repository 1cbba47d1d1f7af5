"""The checks the skill served over HTTP must pass, directly (tests/test_serving.py) and behind
the proxy (tests/test_proxy.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.common import Signed, sign
from bench.slowclients import Timed, Wrap, ordinary_requests, plain, slow_clients
from skill.devtools.devca import DevCA
from skill.envelopes import Conversation

SLOW_CLIENTS = 50
ORDINARY_REQUESTS = 20


def signed_launch(ca: DevCA) -> Signed:
    """A LaunchRequest signed by `ca` now, with a request id of its own."""
    return sign(ca, Conversation().launch())


def short_body(signed: Signed, host: str) -> bytes:
    """`signed` as a raw HTTP/1.1 POST /alexa whose body stops halfway through its
    Content-Length."""
    head = "".join(f"{name}: {value}\r\n" for name, value in signed.headers.items())
    return (
        f"POST /alexa HTTP/1.1\r\nHost: {host}\r\n{head}Content-Length: {len(signed.body)}\r\n\r\n"
    ).encode() + signed.body[: len(signed.body) // 2]


def check_slow_clients_delay_nobody(
    port: int, send: Callable[[], Timed], wrap: Wrap = plain
) -> None:
    """With 50 slow clients holding connections to `port` (each `wrap`ped), 20 ordinary requests
    sent by `send` are all answered 200, none after more than 1 s."""
    with slow_clients(port, SLOW_CLIENTS, max_seconds=30, wrap=wrap) as drips:
        time.sleep(0.5)  # every slow client is connected and part-way through its request
        latency = ordinary_requests(send, count=ORDINARY_REQUESTS, max_seconds=20)
        assert all(d.sock is not None or d.reconnects > 0 for d in drips)
    assert [t.status for t in latency.timings] == [200] * ORDINARY_REQUESTS
    assert latency.max_ms < 1000, latency.timings
