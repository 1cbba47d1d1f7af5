"""`cramp-relief simulate` end to end: one-shot, interactive, --json, --speak, and --url against a
real `cramp-relief serve --dev` started here; plus what `serve --dev` does and does not trust."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.cli import main
from skill.commands import serve
from skill.devtools.devdb import free_port
from skill.simulator.speaker import INSTALL_HINT
from skill.simulator.transcript import OTHER_CA_HINT

REPO = Path(__file__).resolve().parent.parent
SERVER_START_SECONDS = 30.0


def test_one_shot_prints_every_turn(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", "open cramp relief", "my calf is cramping", "no"])
    out = capsys.readouterr().out
    assert code == 0
    assert "you> open cramp relief\n  -> LaunchRequest [new session]" in out
    assert "alexa> Stop any stretch" in out
    assert "reprompt: Want a guided stretch?" in out
    assert "-> IntentRequest CrampReliefIntent muscle=calf" in out
    assert "-> IntentRequest AMAZON.NoIntent" in out
    assert out.count("[session open]") == 2
    assert out.rstrip().endswith("[session closed]")
    assert "<speak>" not in out


def test_one_shot_json_prints_request_and_response(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--json", "ask cramp relief is this serious"]) == 0
    out = capsys.readouterr().out
    assert '"type": "IntentRequest"' in out
    assert '"name": "DoctorIntent"' in out
    assert '"shouldEndSession": true' in out
    assert '"ssml": "<speak>' in out


def test_one_shot_locale(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--locale", "en-GB", "ask cramp relief I've got cramp"]) == 0
    assert "Shall I guide you through a stretch?" in capsys.readouterr().out


def test_one_shot_as_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "skill.cli", "simulate", "ask cramp relief for a tip", "yes"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Drink water throughout the day" in done.stdout
    assert "Stretch your calves and feet every evening" in done.stdout


def test_interactive(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    typed = "open cramp relief\n:json\nmy calf is cramping\n:json\n\n\n:help\n:quit\nnever read\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    assert main(["simulate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Talking to cramp relief (en-US, in-process).")
    assert "alexa> Stop any stretch" in out
    assert "JSON on" in out and "JSON off" in out
    assert '"name": "CrampReliefIntent"' in out
    assert "note: No answer: Alexa speaks the reprompt" in out
    assert "-> SessionEndedRequest (EXCEEDED_MAX_REPROMPTS)" in out
    assert "an empty line" in out  # :help


def test_interactive_bedtime_reminder_and_its_listing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = (
        ":reminders\nopen cramp relief\nset a bedtime reminder at ten p.m.\nyes\nI approve\n"
        ":reminders\nask cramp relief to cancel my bedtime reminder\n:reminders\n"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    assert main(["simulate"]) == 0
    out = capsys.readouterr().out
    assert "alexa> Do you give cramp relief permission to update your reminders?" in out
    assert "-> Connections.Response" in out
    assert "Every night at ten p.m., I'll remind you to do your bedtime stretches." in out
    # input() prints the prompt, so a listing line follows "you> ".
    listed = [line.removeprefix("you> ") for line in out.splitlines() if "FREQ=DAILY" in line]
    assert listed == [
        "  reminder: FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;INTERVAL=1 in America/New_York: "
        '"Time for your bedtime stretches." (status ON, push notification DISABLED)'
    ]
    assert out.count("No reminders.") == 2  # before, and after cancelling
    assert "Your bedtime reminder is cancelled." in out


def test_interactive_ends_at_end_of_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("ask cramp relief what causes cramps\n"))
    assert main(["simulate"]) == 0
    assert "too little water or minerals" in capsys.readouterr().out


def test_speak_without_espeak_says_so_and_carries_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["simulate", "--speak", "open cramp relief"]) == 0
    captured = capsys.readouterr()
    assert INSTALL_HINT in captured.err
    assert "alexa> Stop any stretch" in captured.out


def test_speak_hands_the_ssml_to_espeak(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    heard = tmp_path / "heard.txt"
    fake = tmp_path / "espeak-ng"
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{heard}"\ncat >> "{heard}"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert main(["simulate", "--speak", "--locale", "en-GB", "open cramp relief"]) == 0
    spoken = heard.read_text()
    assert "-v en-gb -m --stdin" in spoken
    assert "<speak>" in spoken and "Stop any stretch" in spoken
    assert INSTALL_HINT not in capsys.readouterr().err


def test_an_unreachable_url_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(
        ["simulate", "--url", "http://127.0.0.1:9/alexa", "--dev-ca", str(tmp_path / "ca"), "hi"]
    )
    assert code == 1
    assert "could not reach http://127.0.0.1:9/alexa" in capsys.readouterr().out


def _args(**overrides: object) -> argparse.Namespace:
    values: dict[str, object] = {"dev": False, "dev_ca": None, "host": "127.0.0.1"}
    values.update(overrides)
    return argparse.Namespace(**values)


def test_serve_trusts_nothing_extra_without_dev() -> None:
    assert serve.app_config(_args()) == {}


def test_serve_dev_trusts_the_dev_ca_and_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = serve.app_config(_args(dev=True, dev_ca=tmp_path))
    assert config["DEV_SIMULATOR"] is True
    assert config["DEV_CA_DIR"] == str(tmp_path)
    assert b"BEGIN CERTIFICATE" in config["EXTRA_TRUSTED_ROOTS_PEM"]
    assert (tmp_path / "dev-ca.pem").exists()
    assert any("DEVELOPMENT MODE" in record.getMessage() for record in caplog.records)


def test_serve_dev_ca_needs_dev(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--dev-ca", str(tmp_path)])


@pytest.fixture
def dev_server(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """`cramp-relief serve --dev` on a free loopback port: (url, dev CA folder, server log)."""
    port = free_port()
    ca_dir, log_path = tmp_path / "dev-ca", tmp_path / "serve.log"
    env = {**os.environ, "CRAMP_RELIEF_DATABASE": str(tmp_path / "serve.sqlite3")}
    command = [sys.executable, "-m", "skill.cli", "serve", "--dev", "--dev-ca", str(ca_dir)]
    command += ["--port", str(port), "--workers", "1"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"serve --dev exited early:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as reply:
                    if json.load(reply) == {"status": "ok"}:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"serve --dev did not come up:\n{log_path.read_text()}")
                time.sleep(0.1)
        yield f"{base}/alexa", ca_dir, log_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def test_url_against_a_real_serve_dev(
    dev_server: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, ca_dir, log_path = dev_server
    code = main(
        ["simulate", "--url", url, "--dev-ca", str(ca_dir), "open cramp relief", "my calf", "no"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "alexa> Stop any stretch" in out
    assert "rub your calf" in out
    assert out.rstrip().endswith("[session closed]")
    server_log = log_path.read_text()
    assert "DEVELOPMENT MODE" in server_log
    assert "type=IntentRequest intent=CrampReliefIntent status=200" in server_log


def test_url_reminder_through_serve_devs_stand_in(
    dev_server: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """serve --dev runs the Alexa API stand-in in gunicorn's master; its workers and the
    simulator in this process both reach it (the link is published beside the CA)."""
    url, ca_dir, _ = dev_server
    said = ["set a bedtime reminder at ten p.m.", "yes", "I approve"]
    code = main(["simulate", "--url", url, "--dev-ca", str(ca_dir), *said])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Every night at ten p.m., I'll remind you to do your bedtime stretches." in out
    assert json.loads((ca_dir / "alexa-api.json").read_text())["endpoint"].startswith("https://")


def test_url_with_another_ca_is_refused_by_serve_dev(
    dev_server: tuple[str, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _, _ = dev_server
    code = main(["simulate", "--url", url, "--dev-ca", str(tmp_path / "other-ca"), "hello"])
    out = capsys.readouterr().out
    assert code == 1
    assert "error: HTTP 400" in out
    assert f"hint: {OTHER_CA_HINT}" in out
