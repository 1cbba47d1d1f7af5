"""Slow clients, and the time an ordinary request takes while they are connected.

A slow client opens a connection and sends its request a byte at a time, or sends its headers
and then its body a byte at a time, and never finishes; when the server closes it, it connects
again, as an attacker would. Used by the benchmark (bench/__main__.py, section 6) and by the
serving tests. Only 127.0.0.1 is a target; the clients stop when their `with` block ends, or
after `max_seconds` at the latest.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import statistics
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass

HOST = "127.0.0.1"
DRIP_INTERVAL_SECONDS = 0.2
_HEADERS_HEAD = b"POST /alexa HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
_BODY_HEAD = (
    b"POST /alexa HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 4096\r\n\r\n"
)

Wrap = Callable[[socket.socket], socket.socket]


def plain(sock: socket.socket) -> socket.socket:
    """A connection as it is: plain HTTP (the other `Wrap`s add TLS)."""
    return sock


class _Drip:
    """One slow connection: its opening bytes at once, then one more byte each tick."""

    def __init__(self, port: int, kind: str, wrap: Wrap) -> None:
        self.port, self.kind, self.wrap = port, kind, wrap
        self.sock: socket.socket | None = None
        self.reconnects = -1

    def tick(self) -> None:
        try:
            if self.sock is None:
                self.reconnects += 1
                raw = socket.create_connection((HOST, self.port), timeout=1)
                self.sock = self.wrap(raw)
                head = _HEADERS_HEAD if self.kind == "headers" else _BODY_HEAD
                self.sock.sendall(head[: len(head) - 1] if self.kind == "headers" else head)
            self.sock.sendall(b"a" if self.kind == "headers" else b" ")
        except OSError:
            self.close()

    def close(self) -> None:
        if self.sock is not None:
            with suppress(OSError):
                self.sock.close()
        self.sock = None


@contextmanager
def slow_clients(
    port: int, count: int, *, max_seconds: float = 120.0, wrap: Wrap = plain
) -> Iterator[list[_Drip]]:
    """`count` slow connections to 127.0.0.1:`port`, half dripping headers and half bodies."""
    drips = [_Drip(port, "headers" if i % 2 == 0 else "body", wrap) for i in range(count)]
    stop = threading.Event()
    deadline = time.monotonic() + max_seconds

    def run() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            for drip in drips:
                drip.tick()
            stop.wait(DRIP_INTERVAL_SECONDS)

    for drip in drips:
        drip.tick()
    thread = threading.Thread(target=run, name="slow-clients", daemon=True)
    thread.start()
    try:
        yield drips
    finally:
        stop.set()
        thread.join(5)
        for drip in drips:
            drip.close()


@dataclass(frozen=True)
class Timed:
    """One ordinary request: its HTTP status (None if it got no answer) and its seconds."""

    status: int | None
    seconds: float


def timed_post(
    port: int,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float = 10.0,
    context: ssl.SSLContext | None = None,
) -> Timed:
    """POST `body` to /alexa on a new connection, timing it to the end of the answer."""
    started = time.perf_counter()
    connection = (
        http.client.HTTPConnection(HOST, port, timeout=timeout)
        if context is None
        else http.client.HTTPSConnection(HOST, port, timeout=timeout, context=context)
    )
    try:
        connection.request("POST", "/alexa", body=body, headers=headers)
        reply = connection.getresponse()
        reply.read()
        status: int | None = reply.status
    except (OSError, http.client.HTTPException):
        status = None
    finally:
        connection.close()
    return Timed(status, time.perf_counter() - started)


@dataclass(frozen=True)
class Latency:
    """Ordinary requests sent one after another for a while."""

    timings: Sequence[Timed]

    def _ms(self) -> list[float]:
        return sorted(t.seconds * 1000 for t in self.timings)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self._ms())

    @property
    def p99_ms(self) -> float:
        values = self._ms()
        return values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]

    @property
    def max_ms(self) -> float:
        return max(self._ms())

    def unanswered(self) -> int:
        return sum(1 for t in self.timings if t.status is None)

    def slower_than(self, seconds: float) -> int:
        return sum(1 for t in self.timings if t.status is None or t.seconds > seconds)


def ordinary_requests(send: Callable[[], Timed], *, count: int, max_seconds: float) -> Latency:
    """Up to `count` requests by `send`, one after another, stopping after `max_seconds`."""
    deadline = time.monotonic() + max_seconds
    timings: list[Timed] = []
    while len(timings) < count and time.monotonic() < deadline:
        timings.append(send())
    return Latency(timings)
