"""Session attributes nested deeper than the skill ever writes are dropped, not a silent failure.

The SDK deep-copies session attributes before any handler runs; a few hundred levels of nesting
(json.loads accepts nearly a thousand) made that copy fail, and the reply was the endpoint's empty
last resort. Found by tests/test_robustness.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from skill.endpoint import MAX_ATTRIBUTE_DEPTH, _deeper_than
from skill.speech import ssml_to_text
from tests.helpers.alexa import AlexaClient, speech_of


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"x": value}
    return value


@pytest.mark.parametrize("depth", [MAX_ATTRIBUTE_DEPTH + 1, 600, 900])
def test_deeply_nested_attributes_get_a_normal_answer(alexa: AlexaClient, depth: int) -> None:
    alexa.launch()
    envelope = alexa.conversation.intent("AMAZON.HelpIntent")
    envelope["session"]["attributes"] = {"x": nested(depth)}
    reply = alexa.post(envelope)
    assert reply.status_code == 200
    assert ssml_to_text(speech_of(reply.get_json()))


def test_the_skills_own_attributes_are_well_within_the_limit(alexa: AlexaClient) -> None:
    alexa.launch()
    payload = alexa.intent("GuidedStretchIntent")
    attributes = payload["sessionAttributes"]
    assert attributes["routine"]
    assert not _deeper_than(attributes, 4)
    # ...and they still work after the check: the next step follows.
    assert "Step two" in ssml_to_text(speech_of(alexa.intent("AMAZON.NextIntent")))


def test_depth_is_counted_in_containers() -> None:
    assert not _deeper_than("text", 0)
    assert not _deeper_than([[[]]], 3)
    assert _deeper_than([[[]]], 2)
    assert _deeper_than(nested(MAX_ATTRIBUTE_DEPTH + 1), MAX_ATTRIBUTE_DEPTH)
    assert not _deeper_than(nested(MAX_ATTRIBUTE_DEPTH), MAX_ATTRIBUTE_DEPTH)
