"""What Alexa's front end hands the skill's model, as another sample matcher is driven with it
(bench/virtual_alexa.py): the request part of a one-shot form, the words said inside a session,
None for a launch."""

from __future__ import annotations

import pytest

from bench.virtual_alexa import Phrase, driver_items
from skill.simulator.resolver import resolver_for


@pytest.mark.parametrize(
    ("text", "inputs"),
    [
        ("ask cramp relief why my feet cramp", ("why my feet cramp",)),
        ("Alexa, ask cramp relief about magnesium", ("about magnesium", "magnesium")),
        ("tell cramp relief to start a stretch", ("to start a stretch", "start a stretch")),
        ("open cramp relief and help my calf", ("help my calf",)),
        ("give me a tip using cramp relief", ("give me a tip",)),
        (
            "can you ask cramp relief if she should see a doctor",
            ("if she should see a doctor", "she should see a doctor"),
        ),
        ("open cramp relief", (None,)),
    ],
)
def test_one_shot_forms_hand_over_their_request(text: str, inputs: tuple[str | None, ...]) -> None:
    assert resolver_for("en-US").model_inputs(text) == inputs


@pytest.mark.parametrize(
    "text",
    # Each holds a launch verb ("ask", "tell", "open") but names no skill: said in a session,
    # it is matched as it is (virtual-alexa's own utter() would launch the skill instead).
    ["what can I ask it", "tell me a tip", "should I tell my doctor", "my toes won't open up"],
)
def test_words_that_name_no_skill_go_to_the_model_as_said(text: str) -> None:
    assert resolver_for("en-GB").model_inputs(text) == (text.lower(),)


def test_the_driver_gets_the_inputs_unless_the_package_parses_the_phrase() -> None:
    phrases = [Phrase("ask cramp relief what causes cramp"), Phrase("next", "in_routine")]
    alexa = driver_items(phrases, "en-US", "alexa")
    assert alexa == [
        {"text": phrases[0].text, "context": None, "said": ["what causes cramp"]},
        {"text": "next", "context": "in_routine", "said": ["next"]},
    ]
    package = driver_items(phrases, "en-US", "package")
    assert [set(item) for item in package] == [{"text", "context"}] * 2
