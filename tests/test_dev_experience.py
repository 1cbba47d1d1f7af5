"""Developer experience: serve --dev says where the page is, simulate --url against a server
without --dev says to start it with --dev, a mistyped :command is an error, and the transcript
shows timed holds."""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from skill.app import create_app
from skill.cli import main
from skill.commands.serve import announce_simulator
from skill.simulator.transcript import DEV_SERVER_HINT


class _Listener:
    def __init__(self, url: str) -> None:
        self.url = url

    def __str__(self) -> str:
        return self.url


class _Server:
    LISTENERS = (_Listener("http://127.0.0.1:41234"), _Listener("http://[::1]:41234"))


def test_serve_dev_announces_the_simulator_page(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        announce_simulator(_Server())
    assert "Browser simulator: http://127.0.0.1:41234/simulator/" in caplog.text
    assert "Browser simulator: http://[::1]:41234/simulator/" in caplog.text


def _refuse(url: str) -> bytes:
    raise OSError("offline")  # as for a server without --dev: the made-up certificate URL fails


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[str]:
    """A server as `serve` without --dev runs it: real roots only, nothing extra trusted."""
    app = create_app({"DATABASE": str(tmp_path / "db.sqlite3"), "CERT_LOADER": _refuse})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="plain-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/alexa"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def test_simulate_url_against_a_server_without_dev_says_to_start_it_with_dev(
    plain_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["simulate", "--url", plain_server, "--dev-ca", str(tmp_path / "ca")]
    assert main([*args, "open cramp relief"]) == 1
    out = capsys.readouterr().out
    assert f"error: {DEV_SERVER_HINT}" in out
    assert "cramp-relief serve --dev" in out


def test_a_mistyped_command_is_an_error_not_speech(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(":jsno\n:quit\n"))
    assert main(["simulate"]) == 0
    out = capsys.readouterr().out
    assert "unknown command :jsno: type :help" in out
    assert "->" not in out  # nothing was sent to the skill


def test_the_transcript_marks_timed_holds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "open cramp relief", "yes"]) == 0
    out = capsys.readouterr().out
    step = next(line for line in out.splitlines() if "Step one" in line)
    assert "Hold for thirty seconds. [10 s pause] Twenty more seconds. [10 s pause]" in step
    assert step.count("[10 s pause]") == 3  # thirty seconds, all of it shown
    assert "[0.5 s pause]" not in step  # the pauses between sentences stay out of the way
