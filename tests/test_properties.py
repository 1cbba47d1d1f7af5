"""Hostile input never gives a 5xx or invalid SSML: arbitrary bodies, headers, slots, attributes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.envelopes import read_response
from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE
from tests.helpers.alexa import AlexaClient

SPECIAL = st.sampled_from(["&", "<", ">", '"', "'", "]]>", "<break/>", "&amp;", "\u0000", "é"])
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(SPECIAL, st.text(max_size=5)), max_size=8).map("".join),
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)
INTENTS = sorted(load_model(DEFAULT_LOCALE).intents)
SLOT_NAMES = ["muscle", "topic", "symptom", "routine", "remedy", "claim", "query", "other"]
ATTRIBUTE_KEYS = ["offer", "tipsHeard", "stillCount", "last", "routine", "x"]

fuzz = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_answer(reply: Any) -> None:
    assert reply.status_code in (200, 400), reply.status_code
    if reply.status_code != 200:
        return
    said = read_response(reply.get_json())
    if said.session_open:
        assert said.reprompt_ssml
    for ssml in (said.ssml, said.reprompt_ssml):
        if ssml:
            ET.fromstring(ssml)  # raises on invalid XML


@fuzz
@given(
    body=st.binary(max_size=300),
    headers=st.dictionaries(
        st.sampled_from(["Content-Type", "SignatureCertChainUrl", "Signature-256", "Signature"]),
        st.text(max_size=60).filter(lambda v: "\n" not in v and "\r" not in v),
    ),
)
def test_arbitrary_bytes_and_headers(
    alexa: AlexaClient, body: bytes, headers: dict[str, str]
) -> None:
    reply = alexa.client.post("/alexa", data=body, headers=headers)
    assert reply.status_code == 400


@fuzz
@given(body=st.one_of(st.binary(max_size=300), JSON.map(lambda v: json.dumps(v).encode())))
def test_signed_arbitrary_bodies(alexa: AlexaClient, body: bytes) -> None:
    check_answer(alexa.post({}, body=body))


@fuzz
@given(
    intent=st.one_of(st.sampled_from(INTENTS), TEXT),
    slots=st.dictionaries(st.sampled_from(SLOT_NAMES), st.one_of(TEXT, JSON), max_size=3),
    attributes=st.one_of(JSON, st.dictionaries(st.sampled_from(ATTRIBUTE_KEYS), JSON, max_size=5)),
    request_type=st.sampled_from(["IntentRequest", "CanFulfillIntentRequest", "LaunchRequest"]),
)
def test_signed_requests_with_hostile_slots_and_attributes(
    alexa: AlexaClient, intent: str, slots: dict[str, Any], attributes: Any, request_type: str
) -> None:
    envelope = alexa.conversation.intent(
        intent, {name: {"name": name, "value": value} for name, value in slots.items()}
    )
    envelope["request"]["type"] = request_type
    envelope["session"]["attributes"] = attributes
    check_answer(alexa.post(envelope))
