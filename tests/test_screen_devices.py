"""Simulated devices with a screen: Echo Show 8 and Echo Spot report APL and their viewports in
every request, a speaker reports neither, and the browser simulator lets you pick one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from skill.app import create_app
from skill.cli import main
from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.trust import dev_server_config, ephemeral_dev_ca, in_process_config
from skill.locales import DEFAULT_LOCALE
from skill.simulator import web
from skill.simulator.device import SimulatedDevice, device_profiles
from skill.simulator.session import Simulator

APL = "Alexa.Presentation.APL"


def _device(name: str) -> SimulatedDevice:
    device = SimulatedDevice(locale=DEFAULT_LOCALE)
    device.use(device_profiles()[name])
    return device


def test_the_default_device_is_a_speaker() -> None:
    assert next(iter(device_profiles())) == "speaker"
    context = SimulatedDevice(locale=DEFAULT_LOCALE).launch()["context"]
    assert APL not in context["System"]["device"]["supportedInterfaces"]
    assert "Viewport" not in context and "Viewports" not in context


@pytest.mark.parametrize(
    ("name", "shape", "width"), [("echo-show-8", "RECTANGLE", 1280), ("echo-spot", "ROUND", 480)]
)
def test_screen_devices_report_apl_and_their_viewport(name: str, shape: str, width: int) -> None:
    context = _device(name).launch()["context"]
    assert APL in context["System"]["device"]["supportedInterfaces"]
    assert context["Viewport"]["shape"] == shape
    assert context["Viewport"]["pixelWidth"] == width
    (viewport,) = context["Viewports"]
    assert viewport["type"] == "APL" and viewport["shape"] == shape


@pytest.mark.parametrize("name", ["speaker", "echo-show-8"])
def test_every_kind_of_request_carries_the_same_device_context(name: str) -> None:
    # One hook, context(), says what the device reports: launch, intents, CanFulfill, a touch
    # and the session's end all carry it, so no request kind can leave the screen out.
    device = _device(name)
    sent = [
        device.launch(),
        device.intent("AMAZON.HelpIntent"),
        device.can_fulfill("CrampReliefIntent"),
        device.user_event("next"),
        device.session_ended(),
    ]
    for envelope in sent:
        assert envelope["context"] == device.context(), envelope["request"]["type"]
    assert ("Viewport" in device.context()) is (name != "speaker")


def test_the_screen_round_trips_through_the_device_state() -> None:
    device = _device("echo-spot")
    again = SimulatedDevice.from_json(device.to_json())
    assert again.screen == device.screen
    assert again.supported_interfaces == device.supported_interfaces


def test_a_device_state_with_other_screen_keys_is_refused() -> None:
    state = _device("echo-spot").to_json()
    state["screen"] = {"System": {}}
    with pytest.raises(ValueError, match="screen"):
        SimulatedDevice.from_json(state)


@pytest.fixture
def dev_client(tmp_path: Path) -> FlaskClient:
    ca = load_or_create_dev_ca(tmp_path / "ca")
    config = dev_server_config(ca, tmp_path / "ca")
    app = create_app({**config, "TESTING": True, "DATABASE": str(tmp_path / "db.sqlite3")})
    return web.register(app).test_client()


def _say(client: FlaskClient, body: dict[str, Any]) -> Any:
    return client.post("/simulator/say", json={"locale": DEFAULT_LOCALE, "state": None, **body})


def test_the_page_offers_each_device(dev_client: FlaskClient) -> None:
    page = dev_client.get("/simulator/").get_data(as_text=True)
    for name, profile in device_profiles().items():
        assert f'value="{name}"' in page and profile.label in page


def test_a_new_conversation_starts_on_the_picked_device(dev_client: FlaskClient) -> None:
    reply = _say(dev_client, {"text": "open cramp relief", "device": "echo-show-8"})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    body = reply.get_json()
    request = body["turn"]["request"]
    assert APL in request["context"]["System"]["device"]["supportedInterfaces"]
    assert request["context"]["Viewport"]["pixelWidth"] == 1280
    # The device stays with the conversation: the next turn needs no device to be named again.
    follow = _say(dev_client, {"text": "yes", "state": body["state"]}).get_json()
    assert follow["turn"]["request"]["context"]["Viewports"][0]["shape"] == "RECTANGLE"


def test_an_unknown_device_is_refused(dev_client: FlaskClient) -> None:
    reply = _say(dev_client, {"text": "open cramp relief", "device": "echo-hologram"})
    assert reply.status_code == 400
    assert "device must be one of" in reply.get_json()["error"]


def _simulator_on(profile: str, tmp_path: Path) -> Simulator:
    ca = ephemeral_dev_ca()
    app = create_app({**in_process_config(ca), "DATABASE": str(tmp_path / "t.sqlite3")})
    simulator = Simulator.in_process(app, ca)
    simulator.device.use(device_profiles()[profile])
    return simulator


def test_a_touch_on_a_speaker_sends_nothing(tmp_path: Path) -> None:
    simulator = _simulator_on("speaker", tmp_path)
    simulator.say("open cramp relief")
    turn = simulator.touch("next")
    assert turn.request is None
    assert turn.note is not None and "Nothing of the skill's is on the screen" in turn.note


def test_a_touch_on_the_step_screen_is_a_user_event(tmp_path: Path) -> None:
    simulator = _simulator_on("echo-spot", tmp_path)
    simulator.say("open cramp relief")
    simulator.say("yes")
    assert simulator.device.shown == "cramp-relief.step"
    turn = simulator.touch("next")
    assert turn.request is not None
    event = turn.request["request"]
    assert event["type"] == "Alexa.Presentation.APL.UserEvent"
    assert (event["token"], event["arguments"]) == ("cramp-relief.step", ["next"])
    assert turn.speech.startswith("Step two")
    again = Simulator.from_json(simulator.to_json(), simulator.transport, simulator.ca)
    assert again.device.shown == "cramp-relief.step"  # the web page carries it between turns


def test_the_page_refuses_an_unknown_touch(dev_client: FlaskClient) -> None:
    reply = _say(dev_client, {"text": "", "device": "echo-show-8", "touch": "jump"})
    assert reply.status_code == 400
    assert "touch must be one of back, next, stop" in reply.get_json()["error"]


def test_simulate_touches_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["simulate", "--device", "echo-show-8", "open cramp relief", "yes", ":touch next"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "-> Alexa.Presentation.APL.UserEvent next" in out
    assert "screen: cramp-relief.step" in out


def test_simulate_refuses_an_unknown_device(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--device", "echo-hologram", "hi"]) == 2
    assert "--device must be one of speaker" in capsys.readouterr().err
