"""POST /alexa end to end: the verification matrix, bad input, and the error paths."""

from __future__ import annotations

import functools
import io
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill import create_app
from skill.devtools.devca import DevCA, make_dev_ca
from skill.envelopes import Conversation, read_response
from skill.interaction_model import load_model
from skill.locales import available_locales
from skill.speech import Renderer, Reply, ssml_to_text
from tests.helpers.alexa import AlexaClient, speech_of

GOOD_URL = "https://s3.amazonaws.com/echo.api/dev-cramp-relief.pem"


def body_of(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode()


def post(client: FlaskClient, body: bytes, headers: dict[str, str]) -> Any:
    return client.post("/alexa", data=body, headers={"Content-Type": "application/json", **headers})


@pytest.fixture
def launch_body() -> bytes:
    return body_of(Conversation().launch())


def test_signed_launch_speaks_relief_first(alexa: AlexaClient) -> None:
    payload = alexa.launch()
    assert ssml_to_text(speech_of(payload)).startswith("Stop any stretch you are holding. Flex")


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").status_code == 200


# --- signature headers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"SignatureCertChainUrl": GOOD_URL},
        {"SignatureCertChainUrl": GOOD_URL, "Signature-256": ""},
        {"SignatureCertChainUrl": GOOD_URL, "Signature-256": "not base64 at all!"},
    ],
    ids=["none", "missing", "empty", "not-base64"],
)
def test_missing_or_bad_signature_is_400(
    client: FlaskClient, launch_body: bytes, headers: dict[str, str]
) -> None:
    reply = post(client, launch_body, headers)
    assert reply.status_code == 400
    assert reply.get_json()["reason"]


def test_only_the_old_sha1_signature_header_is_400(
    client: FlaskClient, dev_ca: DevCA, launch_body: bytes
) -> None:
    signed = dev_ca.sign(launch_body)
    headers = {"SignatureCertChainUrl": GOOD_URL, "Signature": signed["Signature-256"]}
    assert post(client, launch_body, headers).status_code == 400


def test_body_changed_by_one_byte_is_400(
    client: FlaskClient, dev_ca: DevCA, launch_body: bytes
) -> None:
    headers = dev_ca.sign(launch_body)
    tampered = launch_body.replace(b"LaunchRequest", b"LaunchRequesu")
    assert post(client, tampered, headers).status_code == 400
    assert post(client, launch_body, headers).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/dev-cramp-relief.pem",
        "https://notamazon.com/echo.api/dev-cramp-relief.pem",
        "https://s3.amazonaws.com/EcHo.aPi/dev-cramp-relief.pem",
        "https://s3.amazonaws.com/invalid.path/dev-cramp-relief.pem",
        "https://s3.amazonaws.com:563/echo.api/dev-cramp-relief.pem",
        "https://s3.amazonaws.com/echo.api/../x/dev-cramp-relief.pem",
    ],
)
def test_bad_certificate_urls_are_400(
    client: FlaskClient, dev_ca: DevCA, launch_body: bytes, url: str
) -> None:
    assert post(client, launch_body, dev_ca.sign(launch_body, cert_url=url)).status_code == 400


# --- certificates -----------------------------------------------------------------------------


def _app_trusting(dev_ca: DevCA, signer: DevCA, roots_file: Any) -> Flask:
    return create_app(
        {"TESTING": True, "TRUSTED_ROOTS": str(roots_file), "CERT_LOADER": signer.loader}
    )


@pytest.mark.parametrize(
    "shape",
    ["expired", "not-yet-valid", "wrong-san", "untrusted"],
)
def test_bad_leaves_are_400(dev_ca: DevCA, roots_file: Any, launch_body: bytes, shape: str) -> None:
    now = datetime.now(UTC)
    reuse = functools.partial(
        make_dev_ca, root=dev_ca.root, intermediate=dev_ca.intermediate, leaf_key=dev_ca.leaf_key
    )
    signer = {
        "expired": lambda: reuse(
            not_before=now - timedelta(days=30), not_after=now - timedelta(days=1)
        ),
        "not-yet-valid": lambda: reuse(
            not_before=now + timedelta(days=1), not_after=now + timedelta(days=30)
        ),
        "wrong-san": lambda: reuse(san="echo-api.example.com"),
        "untrusted": lambda: make_dev_ca(leaf_key=dev_ca.leaf_key),
    }[shape]()
    client = _app_trusting(dev_ca, signer, roots_file).test_client()
    assert post(client, launch_body, signer.sign(launch_body)).status_code == 400


def test_certificate_fetch_that_hangs_is_400_within_3_seconds(
    dev_ca: DevCA, roots_file: Any, launch_body: bytes
) -> None:
    def hanging(url: str) -> bytes:
        # The loader given here stands in for a server that never answers; the default loader's
        # own 3-second deadline is tested in test_cert_loader.py against a silent socket.
        raise TimeoutError("timed out")

    app = create_app({"TESTING": True, "TRUSTED_ROOTS": str(roots_file), "CERT_LOADER": hanging})
    started = time.monotonic()
    assert post(app.test_client(), launch_body, dev_ca.sign(launch_body)).status_code == 400
    assert time.monotonic() - started < 3


def test_a_cached_good_url_does_not_let_a_bad_url_through(
    client: FlaskClient, dev_ca: DevCA, launch_body: bytes
) -> None:
    assert post(client, launch_body, dev_ca.sign(launch_body)).status_code == 200
    bad = dev_ca.sign(launch_body, cert_url="https://s3.amazonaws.com/invalid.path/x.pem")
    assert post(client, launch_body, bad).status_code == 400


# --- timestamp and application id -------------------------------------------------------------


# Timestamps are whole seconds (as Alexa's), so a stamp falls up to a second short of `skew`, and
# the check runs a moment later: a second either side of the 150 s edge would be flaky.
@pytest.mark.parametrize(("skew", "status"), [(-152, 400), (152, 400), (-148, 200), (148, 200)])
def test_timestamp_window(alexa: AlexaClient, skew: int, status: int) -> None:
    envelope = alexa.conversation.launch(when=datetime.now(UTC) + timedelta(seconds=skew))
    assert alexa.post(envelope).status_code == status


def test_unparsable_timestamp_is_400(alexa: AlexaClient) -> None:
    envelope = alexa.conversation.launch()
    envelope["request"]["timestamp"] = "yesterday-ish"
    assert alexa.post(envelope).status_code == 400


def test_wrong_application_id_is_400(alexa: AlexaClient) -> None:
    envelope = alexa.conversation.launch()
    envelope["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.other"
    envelope["session"]["application"]["applicationId"] = "amzn1.ask.skill.other"
    assert alexa.post(envelope).status_code == 400


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'"text"', b"{}", b'{"request": {"type": 5}}', b"\xff\xfe"],
    ids=["malformed", "array", "string", "no-request", "type-not-string", "not-utf8"],
)
def test_bad_bodies_are_400(alexa: AlexaClient, body: bytes) -> None:
    reply = alexa.post({}, body=body)
    assert reply.status_code == 400
    assert set(reply.get_json()) == {"error", "reason"}


@pytest.mark.parametrize(
    "intent",
    [
        None,
        "CrampReliefIntent",
        {"name": 5},
        {"slots": {}},
        {"name": "CrampReliefIntent", "slots": {"muscle": "not-a-slot"}},
        {"name": "CrampReliefIntent", "slots": [1, 2]},
    ],
)
def test_intent_that_does_not_match_the_schema_is_400(alexa: AlexaClient, intent: Any) -> None:
    envelope = alexa.conversation.intent("CrampReliefIntent")
    envelope["request"]["intent"] = intent
    assert alexa.post(envelope).status_code == 400


def test_slot_value_of_the_wrong_type_is_ignored(alexa: AlexaClient) -> None:
    envelope = alexa.conversation.intent("CrampReliefIntent")
    envelope["request"]["intent"]["slots"] = {"muscle": {"name": "muscle", "value": 7}}
    reply = alexa.post(envelope)
    assert reply.status_code == 200
    assert ssml_to_text(speech_of(reply.get_json())).startswith("Flex your foot")


def test_wrong_content_type_is_400(alexa: AlexaClient) -> None:
    envelope = alexa.conversation.launch()
    assert alexa.post(envelope, headers={"Content-Type": "text/plain"}).status_code == 400


def test_oversized_body_is_refused_unread(client: FlaskClient, dev_ca: DevCA) -> None:
    body = b'{"pad": "' + b"x" * (64 * 1024) + b'"}'
    reply = post(client, body, dev_ca.sign(body))
    assert reply.status_code == 400
    assert "larger" in reply.get_json()["reason"]


def test_oversized_chunked_body_is_refused(client: FlaskClient, dev_ca: DevCA) -> None:
    body = b'{"pad": "' + b"x" * (64 * 1024) + b'"}'

    headers = {
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
        **dev_ca.sign(body),
    }
    reply = client.post(
        "/alexa",
        input_stream=io.BytesIO(body),
        headers=headers,
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert reply.status_code == 400
    assert "larger" in reply.get_json()["reason"]


# --- error paths ------------------------------------------------------------------------------


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


# --- every intent is handled, in every locale -------------------------------------------------


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


# --- logging ----------------------------------------------------------------------------------


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
