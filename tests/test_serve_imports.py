"""`cramp-relief serve` without --dev never loads the simulator, in a fresh interpreter; with
--dev it composes the app with the simulator's page. The CLI imports only the chosen command's
module, yet lists them all. (tests/test_layers.py checks the layers in the source; this checks
what a real process imports.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, TypedDict

import pytest

from skill.cli import main
from skill.commands import COMMANDS, Command

# Runs `cramp-relief serve` as the console script does, but builds the worker's app instead of
# starting gunicorn, then reports which simulator modules the process loaded.
_SERVE = """
import json, sys
from skill import cli
from skill.commands import serve
built = []
serve.SkillServer.run = lambda self: built.append(self.load())
code = cli.main(sys.argv[1:])
print(json.dumps({
    "code": code,
    "blueprints": sorted(built[0].blueprints),
    "simulator": sorted(m for m in sys.modules if m.startswith("skill.simulator")),
}))
"""


class ServeReport(TypedDict):
    code: int
    blueprints: list[str]
    simulator: list[str]


def _run(tmp_path: Path, script: str, *args: str) -> Any:
    """Run `script` as `cramp-relief serve --port 0 ARGS` would; the JSON it prints last."""
    env = {**os.environ, "CRAMP_RELIEF_DATABASE": str(tmp_path / "serve.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-c", script, "serve", "--port", "0", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _serve(tmp_path: Path, *args: str) -> ServeReport:
    report: ServeReport = _run(tmp_path, _SERVE, *args)
    return report


def test_serve_without_dev_never_imports_the_simulator(tmp_path: Path) -> None:
    report = _serve(tmp_path)
    assert report["code"] == 0
    assert report["simulator"] == []
    assert "simulator" not in report["blueprints"]


def test_serve_dev_composes_the_app_with_the_simulator_page(tmp_path: Path) -> None:
    # The control for the test above: the same probe does see the simulator when it is there.
    report = _serve(tmp_path, "--dev", "--dev-ca", str(tmp_path / "dev-ca"))
    assert report["code"] == 0
    assert "skill.simulator.web" in report["simulator"]
    assert "simulator" in report["blueprints"]


# What gunicorn's master has loaded when it forks its workers (the app itself is built in them).
_MASTER = """
import json, sys
from skill import cli
from skill.commands import serve
serve.SkillServer.run = lambda self: None
code = cli.main(sys.argv[1:])
loaded = sorted(m for m in ("requests", "urllib3") if m in sys.modules)
ours = sorted(m for m in sys.modules if m.startswith("skill."))
print(json.dumps({"code": code, "loaded": loaded, "skill": ours}))
"""


def test_the_master_loads_no_urllib3_before_gevent_patches_ssl(tmp_path: Path) -> None:
    """gevent workers patch ssl after the fork; a urllib3 the master loaded first recurses on its
    first HTTPS call (the Reminders API's, through ask-sdk's client): so it must not load it."""
    for args in ([], ["--dev", "--dev-ca", str(tmp_path / "dev-ca")]):
        report = _run(tmp_path, _MASTER, *args)
        assert (report["code"], report["loaded"]) == (0, []), args


def _among(modules: list[str], *prefixes: str) -> list[str]:
    return [m for m in modules if m.startswith(prefixes)]


def test_serve_loads_no_other_command_and_no_dev_ca_without_dev(tmp_path: Path) -> None:
    """The CLI imports only the chosen command's module: `serve` does not load export's skill
    package code, simulate's, or (without --dev) the development CA's."""
    loaded = _run(tmp_path, _MASTER)["skill"]
    assert _among(loaded, "skill.commands.") == ["skill.commands.serve"]
    assert _among(loaded, "skill.devtools.") == ["skill.devtools.ca_dir"]
    assert _among(loaded, "skill.package", "skill.sentences", "skill.derived_types") == []


def test_serve_dev_loads_the_dev_ca_but_still_no_other_command(tmp_path: Path) -> None:
    # The control for the test above: the probe sees the CA's modules once --dev needs them.
    loaded = _run(tmp_path, _MASTER, "--dev", "--dev-ca", str(tmp_path / "dev-ca"))["skill"]
    assert "skill.devtools.ca_folder" in loaded
    assert _among(loaded, "skill.commands.") == ["skill.commands.serve"]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    for command in COMMANDS:
        assert f"{command.name} {command.help}" in shown


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.name)
def test_each_command_builds_its_own_help(
    command: Command, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command.name, "--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"usage: cramp-relief {command.name} ")
    # The module's docstring is the description.
    description = command.load().__doc__ or ""
    assert " ".join(description.split()[:4]) in " ".join(shown.split())
