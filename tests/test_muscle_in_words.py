"""A muscle said among words Alexa could not place still gets that muscle's relief.

A carrier such as "{query} cramping" or a muscle slot Alexa filled with unmatched words
("ugh so my calf has been") arrives with no muscle id; the relief handlers look for a muscle
named inside the words, and use it when exactly one is named.
"""

from __future__ import annotations

import pytest

from skill.content.store import ContentStore
from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE
from tests.helpers.alexa import AlexaClient, speech_of, text_of


def relief(content_store: ContentStore, muscle: str) -> str:
    return content_store.content(DEFAULT_LOCALE).relief[muscle]


@pytest.mark.parametrize(
    ("slots", "muscle"),
    [
        ({"query": "uh my calf is"}, "calf"),
        ({"muscle": "ugh so my calf has been"}, "calf"),
        ({"muscle": "the ball of the foot thing"}, "ball_of_foot"),
        ({"query": "oh no my toes are"}, "toes"),
    ],
)
def test_a_muscle_inside_free_words_gets_its_relief(
    alexa: AlexaClient, content_store: ContentStore, slots: dict[str, str], muscle: str
) -> None:
    said = text_of(alexa.intent("CrampReliefIntent", **slots))
    assert said.startswith(relief(content_store, muscle)), said


@pytest.mark.parametrize(
    "slots",
    [{"query": "my foot and my calf are"}, {"query": "oh it is"}, {"muscle": "whatchamacallit"}],
)
def test_no_muscle_or_two_muscles_get_the_general_relief(
    alexa: AlexaClient, content_store: ContentStore, slots: dict[str, str]
) -> None:
    said = text_of(alexa.intent("CrampReliefIntent", **slots))
    assert said.startswith(relief(content_store, "general")), said


def test_still_cramping_reads_the_words_too(alexa: AlexaClient) -> None:
    # StillCramping's answer does not name a muscle, but it must not fail on free words.
    assert speech_of(alexa.intent("StillCrampingIntent", query="my calf is"))


def test_the_model_finds_the_longest_name_and_every_value() -> None:
    muscles = load_model(DEFAULT_LOCALE).slot_types["MUSCLE"]
    assert muscles.mentioned("cramp in the ball of the foot") == {"ball_of_foot"}
    assert muscles.mentioned("My CALF, and my foot!") == {"calf", "foot"}
    assert muscles.mentioned("nothing here") == frozenset()
    assert muscles.mentioned("") == frozenset()
