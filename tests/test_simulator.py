"""The Simulator: whole conversations through the real endpoint, with Alexa's own part played."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from skill.app import create_app
from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.devca import DevCA, make_dev_ca
from skill.devtools.trust import dev_cert_loader, dev_server_config, in_process_config
from skill.locales import DEFAULT_LOCALE
from skill.simulator.device import SimulatedDevice
from skill.simulator.session import ALEXA_ERROR_SPEECH, Simulator
from skill.simulator.transport import AppTransport, HttpTransport
from skill.simulator.turn import Exchange, Turn
from tests.helpers.slot_ids import slot_ids


@pytest.fixture
def simulator(dev_ca: DevCA, tmp_path: Path) -> Simulator:
    app = create_app({**in_process_config(dev_ca), "DATABASE": str(tmp_path / "db.sqlite3")})
    return Simulator.in_process(app, dev_ca)


def test_a_launch_opens_a_realistic_session(simulator: Simulator) -> None:
    launch = simulator.say("open cramp relief")
    assert launch.status == 200
    envelope = launch.request
    assert envelope is not None
    assert envelope["version"] == "1.0"
    session = envelope["session"]
    assert session["new"] is True
    assert session["sessionId"].startswith("amzn1.echo-api.session.")
    assert session["attributes"] == {}
    system = envelope["context"]["System"]
    assert system["application"]["applicationId"] == session["application"]["applicationId"]


def test_a_launch_carries_a_realistic_context(simulator: Simulator) -> None:
    envelope = simulator.say("open cramp relief").request
    assert envelope is not None
    system = envelope["context"]["System"]
    assert system["user"]["userId"].startswith("amzn1.ask.account.")
    assert system["device"]["deviceId"].startswith("amzn1.ask.device.")
    assert system["device"]["supportedInterfaces"] == {"AudioPlayer": {}}
    assert system["apiEndpoint"] == "https://api.amazonalexa.com"
    assert envelope["context"]["AudioPlayer"] == {"playerActivity": "IDLE"}
    inner = envelope["request"]
    assert inner["type"] == "LaunchRequest"
    assert inner["locale"] == DEFAULT_LOCALE
    assert inner["requestId"].startswith("amzn1.echo-api.request.")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", inner["timestamp"])


def test_the_next_request_continues_the_session(simulator: Simulator) -> None:
    launch = simulator.say("open cramp relief")
    assert launch.request is not None
    session, inner = launch.request["session"], launch.request["request"]
    follow = simulator.say("my calf is cramping")
    assert follow.request is not None and launch.response is not None
    assert follow.request["session"]["new"] is False
    assert follow.request["session"]["sessionId"] == session["sessionId"]
    # The attributes the previous response returned come back with the next request.
    assert follow.request["session"]["attributes"] == launch.response["sessionAttributes"]
    assert follow.request["request"]["requestId"] != inner["requestId"]
    # MUSCLE holds "my calf" whole (pass 11's "{muscle} {be} {state}"); its id is the calf.
    assert follow.request["request"]["intent"]["slots"]["muscle"]["value"] == "my calf"
    assert follow.resolution.slot_ids()["muscle"] == "calf"


def test_a_turn_reports_speech_reprompt_and_session(simulator: Simulator) -> None:
    turn = simulator.say("ask cramp relief my calf is cramping")
    assert turn.request_type == "IntentRequest"
    assert turn.intent == "CrampReliefIntent"
    assert turn.speech.startswith("Straighten your leg")
    assert "<" not in turn.speech
    assert turn.reprompt == "Want a guided stretch?"
    assert turn.session_open is True
    assert turn.error is None
    json.dumps(turn.to_json())


def test_silence_reprompts_then_times_out(simulator: Simulator) -> None:
    simulator.say("open cramp relief")
    first = simulator.say("")
    assert first.request is None
    assert first.speech == "Want a guided stretch?"
    assert first.session_open is True
    second = simulator.say("")
    assert second.request is not None
    assert second.request["request"]["type"] == "SessionEndedRequest"
    assert second.request["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert second.speech == ""
    assert second.session_open is False
    # Once closed, silence sends nothing at all.
    assert simulator.say("").request is None


def test_an_answer_resets_the_reprompt_count(simulator: Simulator) -> None:
    simulator.say("open cramp relief")
    assert simulator.say("").request is None
    simulator.say("what causes cramps")
    assert simulator.say("").request is None
    assert simulator.session_open


def test_exit_sends_session_ended_user_initiated(simulator: Simulator) -> None:
    simulator.say("open cramp relief")
    turn = simulator.say("exit")
    assert turn.request is not None
    assert turn.request["request"] == {
        **turn.request["request"],
        "type": "SessionEndedRequest",
        "reason": "USER_INITIATED",
    }
    assert turn.request["session"]["new"] is False
    assert turn.session_open is False
    assert turn.speech == ""
    nothing = simulator.say("exit")
    assert nothing.request is None and nothing.note


def test_no_session_ended_request_after_the_skill_ends_the_session(simulator: Simulator) -> None:
    ended = simulator.say("ask cramp relief is this serious")
    assert ended.session_open is False
    assert ended.response is not None
    assert ended.response["response"]["shouldEndSession"] is True
    assert simulator.say("").request is None


def test_speech_with_no_session_open_goes_as_a_one_shot(simulator: Simulator) -> None:
    turn = simulator.say("give me a tip")
    assert turn.request is not None
    assert turn.request["session"]["new"] is True
    assert turn.note is not None and "ask cramp relief give me a tip" in turn.note


def test_launch_inside_a_session_starts_a_new_one(simulator: Simulator) -> None:
    first = simulator.say("open cramp relief")
    second = simulator.say("open cramp relief")
    assert first.request is not None and second.request is not None
    assert second.request["session"]["new"] is True
    assert second.request["session"]["sessionId"] != first.request["session"]["sessionId"]


def test_state_round_trips_through_json(simulator: Simulator, dev_ca: DevCA) -> None:
    first_tip = simulator.say("ask cramp relief for a tip")
    saved = json.loads(json.dumps(simulator.to_json()))
    carried_on = Simulator.from_json(saved, simulator.transport, dev_ca)
    assert carried_on.session_open
    second_tip = carried_on.say("yes")
    assert first_tip.request is not None and second_tip.request is not None
    assert second_tip.request["session"]["sessionId"] == first_tip.request["session"]["sessionId"]
    assert second_tip.speech != first_tip.speech
    assert second_tip.speech.startswith("Stretch your calves")
    # The pending reprompt travels too: silence now reprompts, as it would have before saving.
    again = Simulator.from_json(carried_on.to_json(), simulator.transport, dev_ca)
    assert again.say("").speech == "Another tip?"


@pytest.mark.parametrize(
    "state",
    [
        None,
        [],
        {"version": 99},
        {"version": 1, "device": "x"},
        {"version": 1, "device": {"locale": DEFAULT_LOCALE}},
        {
            "version": 1,
            "device": {"locale": "xx-XX", "userId": "u", "deviceId": "d"},
        },
        {
            "version": 1,
            "device": {"locale": DEFAULT_LOCALE, "userId": "u", "deviceId": "d", "attributes": []},
        },
        {
            "version": 1,
            "device": {"locale": DEFAULT_LOCALE, "userId": "u", "deviceId": "d"},
            "reprompt": 5,
        },
    ],
)
def test_from_json_refuses_what_is_not_a_saved_state(
    state: Any, simulator: Simulator, dev_ca: DevCA
) -> None:
    with pytest.raises(ValueError):
        Simulator.from_json(state, simulator.transport, dev_ca)


def test_device_state_round_trip() -> None:
    device = SimulatedDevice(locale="en-GB", attributes={"a": 1}, session_id="s")
    assert SimulatedDevice.from_json(device.to_json()) == device


def test_en_gb(dev_ca: DevCA) -> None:
    simulator = Simulator.in_process(create_app(in_process_config(dev_ca)), dev_ca, locale="en-GB")
    turn = simulator.say("ask cramp relief I've got cramp in my calf")
    assert turn.request is not None
    assert turn.request["request"]["locale"] == "en-GB"
    assert turn.resolution.slot_ids() == slot_ids("CrampReliefIntent", "en-GB", muscle="calf")
    assert "Shall I guide you" in turn.speech


def test_a_request_signed_by_another_ca_is_refused(dev_ca: DevCA) -> None:
    # The server fetches the chain of the CA it trusts; another CA's signature does not match it.
    stranger = make_dev_ca()
    app = create_app(in_process_config(dev_ca))
    turn = Simulator(AppTransport(app), stranger).say("open cramp relief")
    assert turn.status == 400
    assert turn.error is not None and "signature does not match" in turn.error
    assert turn.speech == ALEXA_ERROR_SPEECH
    assert turn.session_open is False


def test_by_default_the_server_does_not_trust_the_dev_ca(dev_ca: DevCA) -> None:
    # Default roots (certifi's), and a loader that would hand out the dev chain: still refused.
    app = create_app({"CERT_LOADER": dev_ca.loader})
    turn = Simulator(AppTransport(app), dev_ca).say("open cramp relief")
    assert turn.status == 400
    assert turn.error is not None and "certificate chain not trusted" in turn.error


def test_dev_server_config_trusts_the_dev_ca_beside_the_real_roots(
    dev_ca: DevCA, tmp_path: Path
) -> None:
    config = dev_server_config(dev_ca, tmp_path)
    assert config["DEV_SIMULATOR"] is True
    assert config["DEV_CA_DIR"] == str(tmp_path)
    turn = Simulator(AppTransport(create_app(config)), dev_ca).say("open cramp relief")
    assert turn.status == 200, turn.error


def test_dev_cert_loader_fetches_any_other_url_for_real(dev_ca: DevCA) -> None:
    fetched: list[str] = []

    def real_fetch(url: str) -> bytes:
        fetched.append(url)
        return b"real chain"

    loader = dev_cert_loader(dev_ca, fallback=real_fetch)
    assert loader(dev_ca.cert_url) == dev_ca.chain_pem
    other = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"
    assert loader(other) == b"real chain"
    assert fetched == [other]


def test_an_unreachable_server_is_an_error_turn(dev_ca: DevCA) -> None:
    # Port 9 on loopback (discard) is closed on any sane test machine: connection refused.
    simulator = Simulator(HttpTransport("http://127.0.0.1:9/alexa", timeout=2), dev_ca)
    turn = simulator.say("open cramp relief")
    assert turn.status is None
    assert turn.error is not None and "could not reach" in turn.error
    assert turn.session_open is False


def test_http_transport_refuses_other_schemes() -> None:
    with pytest.raises(ValueError):
        HttpTransport("file:///etc/passwd")


def test_for_app_talks_to_a_serve_dev_app_itself(tmp_path: Path) -> None:
    ca = load_or_create_dev_ca(tmp_path)
    app = create_app({**dev_server_config(ca, tmp_path), "SKILL_ID": "amzn1.ask.skill.mine"})
    simulator = Simulator.for_app(app, ca=ca)
    turn = simulator.say("open cramp relief")
    assert turn.status == 200, turn.error
    assert turn.request is not None
    assert turn.request["context"]["System"]["application"]["applicationId"] == (
        "amzn1.ask.skill.mine"
    )
    carried_on = Simulator.for_app(app, ca=ca, state=json.loads(json.dumps(simulator.to_json())))
    again = carried_on.say("my calf is cramping")
    assert again.request is not None
    assert again.request["session"]["new"] is False


def test_for_app_refuses_an_app_without_dev_simulator(dev_ca: DevCA) -> None:
    with pytest.raises(RuntimeError):
        Simulator.for_app(create_app(in_process_config(dev_ca)), ca=dev_ca)


def test_exchanges_and_turns_are_built_by_name() -> None:
    # Several fields in a row may be None (no status, no response): a positional call would not
    # say which is which, so it is refused.
    with pytest.raises(TypeError):
        Exchange({}, None, None, "unreachable")  # type: ignore[call-arg]
    exchange = Exchange(request={}, status=None, response=None, error="unreachable")
    assert exchange.error == "unreachable"
    with pytest.raises(TypeError):
        Turn("hi", None, None, None, "", None, False, None)  # type: ignore[call-arg, arg-type]
