"""POST /alexa's bad input: bodies, intents off the schema, wrong types and sizes get a 400."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient

from skill.devtools.devca import DevCA
from skill.speech import ssml_to_text
from tests.helpers.alexa import AlexaClient, speech_of
from tests.helpers.raw_requests import post


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
