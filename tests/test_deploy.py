"""deploy/systemd/cramp-relief.service: its ExecStart is a command `cramp-relief serve` accepts,
and systemd itself finds nothing wrong with the unit (where systemd-analyze exists)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skill.cli import main

UNIT = Path(__file__).resolve().parent.parent / "deploy" / "systemd" / "cramp-relief.service"


def _exec_start() -> list[str]:
    lines = [line for line in UNIT.read_text().splitlines() if line.startswith("ExecStart=")]
    assert len(lines) == 1
    return shlex.split(lines[0].removeprefix("ExecStart="))


def test_exec_start_is_a_serve_command_the_cli_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    command = _exec_start()
    assert Path(command[0]).name == "cramp-relief"
    assert command[1] == "serve"
    ran: list[object] = []

    def record(args: object) -> int:
        ran.append(args)
        return 0

    monkeypatch.setattr("skill.commands.serve.run", record)
    # The parser is built after the patch, so `run` is the stand-in: nothing is served.
    assert main(command[1:]) == 0
    (args,) = ran
    assert args.host == "127.0.0.1"  # type: ignore[attr-defined]
    assert args.dev is False  # type: ignore[attr-defined]


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    # The same unit, starting this checkout's own cramp-relief rather than /opt's.
    here = str(Path(sys.executable).with_name("cramp-relief"))
    unit = tmp_path / "cramp-relief.service"
    unit.write_text(UNIT.read_text().replace("/opt/cramp-relief/.venv/bin/cramp-relief", here))
    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
