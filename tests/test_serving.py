"""`serve` as deployed, on 127.0.0.1: slow clients cannot stall it, a short or stalled body never
gets a 5xx, GUNICORN_CMD_ARGS counts, and /metrics sums every worker."""

from __future__ import annotations

import re
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.served import Server
from bench.slowclients import Timed, timed_post
from skill.commands.serve import WORKER_CLASSES, SkillServer, gunicorn_options
from skill.devtools.devca import DevCA
from tests.helpers.served import check_slow_clients_delay_nobody, short_body, signed_launch

# Short, so the stalled-body checks take seconds: a body must be in within this once headers are.
TEST_TIMEOUT_SECONDS = 2


@pytest.fixture(scope="module")
def server(server_workdir: Path, server_ca: DevCA) -> Iterator[Server]:
    """The skill as `serve` runs it (default worker class), two workers."""
    running = Server(server_workdir, workers=2, extra=["--timeout", str(TEST_TIMEOUT_SECONDS)])
    try:
        running.first_200("/alexa", signed_launch(server_ca))
        yield running
    finally:
        running.stop()


def test_fifty_slow_clients_do_not_delay_ordinary_requests(
    server: Server, server_ca: DevCA
) -> None:
    def send() -> Timed:
        signed = signed_launch(server_ca)
        return timed_post(server.port, signed.body, signed.headers, timeout=5)

    check_slow_clients_delay_nobody(server.port, send)


def _raw(port: int, data: bytes, *, close_after: bool, wait: float) -> bytes:
    """Send `data`, optionally half-close, and return whatever comes back within `wait` s."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(data)
        if close_after:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        try:
            while chunk := sock.recv(4096):
                received += chunk
        except TimeoutError:
            pytest.fail(f"the server kept a stalled connection open for over {wait} s")
        return received


def test_a_short_body_then_end_of_input_is_a_400(server: Server, server_ca: DevCA) -> None:
    short = short_body(signed_launch(server_ca), host="127.0.0.1")
    answer = _raw(server.port, short, close_after=True, wait=5)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"ended before its Content-Length" in answer


def test_a_short_body_then_silence_is_closed_without_an_answer(
    server: Server, server_ca: DevCA
) -> None:
    short = short_body(signed_launch(server_ca), host="127.0.0.1")
    started = time.monotonic()
    answer = _raw(server.port, short, close_after=False, wait=10)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:200]
    assert time.monotonic() - started < TEST_TIMEOUT_SECONDS + 2


def test_headers_that_never_end_are_closed(server: Server) -> None:
    started = time.monotonic()
    answer = _raw(
        server.port, b"POST /alexa HTTP/1.1\r\nHost: x\r\nX-Slow: a", close_after=False, wait=10
    )
    assert not answer.startswith(b"HTTP/1.1 5"), answer[:200]
    assert time.monotonic() - started < 8


def test_metrics_are_summed_over_workers(server: Server) -> None:
    def count_400() -> float:
        url = f"http://127.0.0.1:{server.port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as reply:
            text = reply.read().decode()
        pattern = r'cramp_relief_requests_total\{[^}]*status="400"[^}]*\} (\S+)'
        return sum(float(value) for value in re.findall(pattern, text))

    before = count_400()
    unsigned = {"Content-Type": "application/json"}
    for _ in range(30):  # new connections, so both workers take some of them
        assert timed_post(server.port, b"{}", unsigned).status == 400
    # Whichever worker answers /metrics, it reports all thirty.
    assert {count_400() - before for _ in range(6)} == {30}


def test_gunicorn_cmd_args_count_and_the_command_line_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 7 --keep-alive 3 --timeout 40")
    server = SkillServer(gunicorn_options("127.0.0.1:0"), {}, {"timeout": 12})
    assert server.cfg.workers == 7
    assert server.cfg.keepalive == 3
    assert server.cfg.timeout == 12
    assert server.cfg.worker_class_str == WORKER_CLASSES["gevent"]


def test_keep_alive_off_is_refused_with_the_gevent_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without keep-alive gunicorn reads the headers under no deadline at all.
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--keep-alive 0")
    with pytest.raises(SystemExit, match="keep-alive must be at least 1 second"):
        SkillServer(gunicorn_options("127.0.0.1:0"), {})
    server = SkillServer(gunicorn_options("127.0.0.1:0"), {}, {"worker_class": "sync"})
    assert server.cfg.keepalive == 0  # the sync worker never keeps a connection alive anyway
