"""skill.codec maps envelopes exactly as ask-sdk-core's DefaultSerializer does, only faster.

Realistic envelopes of every kind, and the same envelopes with any part swapped for arbitrary JSON:
both either fail, or give equal model objects that serialise to the same JSON.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.response_envelope import ResponseEnvelope
from hypothesis import given, settings
from hypothesis import strategies as st

from skill import codec
from skill.envelopes import Conversation, slot
from tests.helpers.alexa import AlexaClient

SDK = DefaultSerializer()


def envelopes() -> list[dict[str, Any]]:
    talk = Conversation()
    built = [talk.launch()]
    built.append(
        talk.intent(
            "CrampReliefIntent",
            {"muscle": slot("muscle", "calf", value_id="calf", slot_type="MUSCLE")},
        )
    )
    built.append(
        talk.intent("PreventionTipIntent", {"topic": slot("topic", "salt", slot_type="T")})
    )
    built.append(talk.intent("AMAZON.NextIntent"))
    built.append(talk.can_fulfill("CrampReliefIntent", {"muscle": slot("muscle", "calf")}))
    ended = talk.session_ended("ERROR")
    ended["request"]["error"] = {"type": "INVALID_RESPONSE", "message": "bad"}
    built.append(ended)
    built.append(talk.envelope({"type": "System.ExceptionEncountered", "cause": {}}))
    built.append(talk.envelope({"type": "AudioPlayer.PlaybackStarted", "token": "t"}))
    return built


def sdk_from_json(payload: Any) -> Any:
    return SDK.deserialize(json.dumps(payload), RequestEnvelope)


def assert_same_mapping(payload: Any) -> None:
    try:
        expected = sdk_from_json(payload)
    except Exception:
        with pytest.raises(SerializationException):
            codec.from_json(payload, RequestEnvelope)
        return
    if '"__' in json.dumps(payload):  # the one deliberate difference: see the next test
        with contextlib.suppress(SerializationException):
            codec.from_json(payload, RequestEnvelope)
        return
    got = codec.from_json(payload, RequestEnvelope)
    assert got == expected
    if '"deserialized_types"' in json.dumps(payload) or '"attribute_map"' in json.dumps(payload):
        return  # the SDK would write with the instance's own (client-sent) tables; we never
        # write a request back, so only the mapping above matters
    try:  # a hostile extra key such as "__dict__" can leave a model that cannot be written
        written = SDK.serialize(expected)
    except Exception as err:
        with pytest.raises(type(err)):
            codec.to_json(got)
        return
    assert codec.to_json(got) == written


@pytest.mark.parametrize("envelope", envelopes(), ids=lambda e: e["request"]["type"])
def test_realistic_envelopes_map_as_the_sdk_maps_them(envelope: dict[str, Any]) -> None:
    assert_same_mapping(envelope)


@pytest.mark.parametrize("key", ["__dict__", "__class__", "__eq__"])
def test_keys_that_would_wreck_a_model_are_refused(key: str) -> None:
    """The SDK sets any undeclared key as an attribute: "__dict__": {} empties the object."""
    envelope = envelopes()[0]
    envelope["session"][key] = {}
    with pytest.raises(SerializationException):
        codec.from_json(envelope, RequestEnvelope)
    envelope["session"].pop(key)
    envelope["session"]["somethingNew"] = {"a": 1}  # an undeclared key Alexa may add: kept
    assert codec.from_json(envelope, RequestEnvelope).session.somethingNew == {"a": 1}


@pytest.mark.parametrize(
    "stamp",
    [
        "2024-05-01T03:12:45Z",
        "2024-05-01T03:12:45.123Z",
        "2024-05-01T03:12:45+02:00",
        "2024-05-01T03:12:45",
        "2024-05-01 03:12:45",
        "May 1 2024",
        "2024-13-45T99:99:99Z",
        "not a time",
        "",
        12,
    ],
)
def test_timestamps_read_as_dateutil_reads_them(stamp: object) -> None:
    envelope = envelopes()[0]
    envelope["request"]["timestamp"] = stamp
    assert_same_mapping(envelope)


def test_a_response_serialises_as_the_sdk_serialises_it() -> None:
    response = SDK.deserialize(
        json.dumps(
            {
                "version": "1.0",
                "sessionAttributes": {"a": [1, {"b": None}], "when": "x"},
                "response": {
                    "outputSpeech": {"type": "SSML", "ssml": "<speak>Hi</speak>"},
                    "reprompt": {"outputSpeech": {"type": "SSML", "ssml": "<speak>?</speak>"}},
                    "shouldEndSession": False,
                },
            }
        ),
        ResponseEnvelope,
    )
    assert codec.to_json(response) == SDK.serialize(response)
    assert codec.to_json(datetime(2024, 5, 1, tzinfo=UTC)) == "2024-05-01T00:00:00+00:00"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@settings(max_examples=300, deadline=None)
@given(data=st.data(), replacement=JSON)
def test_any_part_replaced_by_arbitrary_json_maps_as_the_sdk_maps_it(
    data: st.DataObject, replacement: Any
) -> None:
    envelope = data.draw(st.sampled_from(envelopes()))
    path = data.draw(st.sampled_from(_paths(envelope)))
    if not path:
        envelope = replacement
    else:
        parent = envelope
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = replacement
    assert_same_mapping(envelope)


def test_the_endpoint_answers_such_a_key_with_400(alexa: AlexaClient) -> None:
    """With the SDK's mapping this request got the endpoint's empty last-resort reply."""
    envelope = alexa.conversation.launch()
    envelope["__dict__"] = {}
    reply = alexa.post(envelope)
    assert reply.status_code == 400
    assert reply.get_json()["reason"] == "request does not match the Alexa request format"
