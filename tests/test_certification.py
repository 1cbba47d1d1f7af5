"""What certification needs from `cramp-relief export`: both interfaces, the icons, testing
instructions that really try every intent, a privacy policy URL, and only endpoints Alexa can
call (with a warning, and no upload line, for one the server does not answer on)."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import pytest

from skill.app import create_app
from skill.cli import main
from skill.devtools.devca import DevCA
from skill.devtools.trust import in_process_config
from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE
from skill.package.icons import LARGE, SMALL
from skill.package.testing_instructions import load_instructions
from skill.simulator.session import Simulator

ENDPOINT = "https://cramps.example.com/alexa"
LAUNCH = "LaunchRequest"


def _export(project: Path, *args: str) -> dict[str, Any]:
    assert main(["export", "--endpoint", ENDPOINT, *args]) == 0
    document = json.loads((project / "skill-package" / "skill.json").read_text())
    manifest: dict[str, Any] = document["manifest"]
    return manifest


def test_both_interfaces_are_declared(project: Path) -> None:
    interfaces = _export(project)["apis"]["custom"]["interfaces"]
    kinds = [interface["type"] for interface in interfaces]
    assert kinds == ["CAN_FULFILL_INTENT_REQUEST", "ALEXA_PRESENTATION_APL"]
    viewports = interfaces[1]["supportedViewports"]
    assert {(v["mode"], v["shape"]) for v in viewports} == {
        ("HUB", "ROUND"),
        ("HUB", "RECTANGLE"),
        ("TV", "RECTANGLE"),
    }


def test_the_icons_are_written_and_named(project: Path) -> None:
    listings = _export(project)["publishingInformation"]["locales"]
    for listing in listings.values():
        for key, side in (("smallIconUri", SMALL), ("largeIconUri", LARGE)):
            path = project / "skill-package" / listing[key].removeprefix("file://")
            png = path.read_bytes()
            assert png.startswith(b"\x89PNG\r\n\x1a\n")
            assert struct.unpack(">II", png[16:24]) == (side, side)


def test_testing_instructions_are_in_the_manifest(project: Path) -> None:
    text = _export(project)["publishingInformation"]["testingInstructions"]
    assert text == load_instructions().text()
    assert len(text) <= 4000
    assert '1. Say "Alexa, open cramp relief".' in text


def test_the_privacy_url_is_the_skills_own_page_unless_given(project: Path) -> None:
    locales = _export(project)["privacyAndCompliance"]["locales"]
    assert locales["en-US"] == {"privacyPolicyUrl": "https://cramps.example.com/privacy/en-US"}
    given = "https://legal.example.org/cramp-relief"
    locales = _export(project, "--privacy-url", given)["privacyAndCompliance"]["locales"]
    assert {legal["privacyPolicyUrl"] for legal in locales.values()} == {given}


def test_the_testing_instructions_try_every_intent(dev_ca: DevCA, tmp_path: Path) -> None:
    """The certifier's walk, played through the simulator: each phrase reaches its intent."""
    app = create_app({**in_process_config(dev_ca), "DATABASE": str(tmp_path / "c.sqlite3")})
    simulator = Simulator.in_process(app, dev_ca, locale=DEFAULT_LOCALE)
    reached = []
    for step in load_instructions().steps:
        turn = simulator.say(step.say.removeprefix("Alexa, "))
        assert turn.error is None, (step.say, turn.error)
        kind = (turn.request or {}).get("request", {}).get("type")
        reached.append(turn.intent if kind == "IntentRequest" else kind)
        assert reached[-1] == step.intent, step.say
    assert set(reached) - {LAUNCH} == set(load_model(DEFAULT_LOCALE).intents)


@pytest.mark.parametrize(
    ("endpoint", "reason"),
    [
        ("https://localhost/alexa", "is this machine"),
        ("https://skill.localhost/alexa", "is this machine"),
        ("https://127.0.0.1/alexa", "is an IP address"),
        ("https://[::1]/alexa", "is an IP address"),
        ("https://203.0.113.7/alexa", "is an IP address"),
        ("https://nas.lan/alexa", "private name (.lan)"),
        ("https://pi.home.arpa/alexa", "private name (.home.arpa)"),
        ("https://raspberrypi/alexa", "not a public DNS name"),
        ("https://cramps.example.com/alexa?x=1", "must not carry a ?query"),
    ],
)
def test_endpoints_alexa_cannot_call_are_refused(
    endpoint: str, reason: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--endpoint", endpoint]) == 2
    assert reason in capsys.readouterr().err
    assert not (project / "skill-package").exists()


@pytest.mark.parametrize("endpoint", ["https://example.com", "https://cramps.example.com/skill"])
def test_an_endpoint_off_the_served_path_warns_and_offers_no_deploy(
    endpoint: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--endpoint", endpoint]) == 0
    captured = capsys.readouterr()
    assert "warning: the server answers Alexa at /alexa" in captured.err
    assert "deploy" not in captured.out.lower()
    assert "Not ready to upload" in captured.out


def test_a_clean_export_says_how_to_deploy(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--endpoint", ENDPOINT]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err
    assert "ask deploy" in captured.out
