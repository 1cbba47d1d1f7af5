"""POST /alexa's answers: relief first, every intent handled, the error paths, the log line."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from skill import create_app
from skill.devtools.devca import DevCA
from skill.envelopes import Conversation, read_response
from skill.interaction_model import load_model
from skill.locales import available_locales
from skill.speech import Renderer, Reply, ssml_to_text
from tests.helpers.alexa import AlexaClient, speech_of
from tests.helpers.raw_requests import body_of, post


def test_signed_launch_speaks_relief_first(alexa: AlexaClient) -> None:
    payload = alexa.launch()
    assert ssml_to_text(speech_of(payload)).startswith("Stop any stretch you are holding. Flex")


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").status_code == 200


def test_a_failing_handler_gets_a_spoken_apology_with_relief(
    alexa: AlexaClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, handler_input: object) -> None:
        raise RuntimeError("boom")

    from skill.handlers.info import CauseHandler

    monkeypatch.setattr(CauseHandler, "handle", broken)
    reply = alexa.post(alexa.conversation.intent("CauseIntent"))
    assert reply.status_code == 200
    text = ssml_to_text(speech_of(reply.get_json()))
    assert text.startswith("Sorry, something went wrong.") and "Flex your foot" in text


def test_when_even_the_apology_fails_the_answer_is_still_200(
    alexa: AlexaClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, locale: str, reply: Reply) -> None:
        raise RuntimeError("templates gone")

    monkeypatch.setattr(Renderer, "render", broken)
    reply = alexa.post(alexa.conversation.launch())
    assert reply.status_code == 200
    assert reply.get_json()["response"]["shouldEndSession"] is True


def test_verification_off_still_checks_the_body(dev_ca: DevCA) -> None:
    client = create_app({"TESTING": True, "VERIFY_REQUESTS": False}).test_client()
    launch = body_of(Conversation().launch())
    assert post(client, launch, {}).status_code == 200
    assert post(client, b"{", {}).status_code == 400


def test_settings_come_from_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAMP_RELIEF_VERIFY_REQUESTS", "false")
    monkeypatch.setenv("CRAMP_RELIEF_SKILL_ID", '"amzn1.ask.skill.env"')
    app = create_app({"TESTING": True})
    assert app.config["VERIFY_REQUESTS"] is False
    assert app.config["SKILL_ID"] == "amzn1.ask.skill.env"


@pytest.mark.parametrize("locale", available_locales())
def test_every_intent_has_a_handler_and_a_template(
    make_alexa: Callable[[str], AlexaClient], locale: str
) -> None:
    """No intent of the model may fall through to the catch-all or the apology."""
    for intent in sorted(load_model(locale).intents):
        alexa = make_alexa(locale)
        alexa.launch()
        reply = alexa.post(alexa.conversation.intent(intent))
        assert reply.status_code == 200, intent
        text = ssml_to_text(speech_of(reply.get_json()))
        assert text, intent
        assert not text.startswith("Sorry, something went wrong"), intent
        assert not text.startswith("I didn't catch that") or intent == "AMAZON.FallbackIntent", (
            intent
        )


def test_one_log_line_per_request_without_user_or_device_ids(
    alexa: AlexaClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="skill.requests")
    alexa.launch()
    alexa.intent("CrampReliefIntent", muscle="calf")
    lines = [r.getMessage() for r in caplog.records if r.name == "skill.requests"]
    assert len(lines) == 2
    assert lines[1].startswith("type=IntentRequest intent=CrampReliefIntent status=200 ms=")
    for line in lines:
        assert alexa.conversation.user_id not in line
        assert alexa.conversation.device_id not in line


def test_turning_verification_off_warns_loudly(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    create_app({"TESTING": True, "VERIFY_REQUESTS": False})
    assert any("VERIFICATION IS OFF" in r.getMessage() for r in caplog.records)


def test_an_open_session_always_has_a_reprompt(alexa: AlexaClient) -> None:
    for payload in (alexa.launch(), alexa.intent("CauseIntent"), alexa.intent("AMAZON.HelpIntent")):
        said = read_response(payload)
        assert payload["response"]["shouldEndSession"] is False
        assert said.reprompt
