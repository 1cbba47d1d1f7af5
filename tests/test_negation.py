"""Signs said as absent (skill/conversation/negation.py) through the safety rules: a reassurance is
no alarm, and a sign is never hidden by a negation that is not about it."""

from __future__ import annotations

import pytest

from skill.content.store import ContentStore
from skill.conversation.safety import Heard, Route, assess, normalise


def route_of(content_store: ContentStore, words: str, signs: frozenset[str] = frozenset()) -> Route:
    safety = content_store.content("en-US").safety
    said = normalise(words)
    heard = Heard(signs=signs, muscles=frozenset(), words=said, unmatched=said, cramp=True)
    return assess(safety, heard).route


@pytest.mark.parametrize(
    ("words", "route"),
    [
        # Said as absent: no alarm.
        ("no chest pain nothing like that just a foot cramp", Route.NONE),
        ("my toes aren't blue it's just cramp", Route.NONE),
        ("it's not numb or tingly just tight", Route.NONE),
        ("it's not red, not hot, just really tight", Route.NONE),
        ("there's no sign of any swelling", Route.NONE),
        ("it isn't really swollen", Route.NONE),
        ("my calf is swollen but I can breathe fine", Route.TODAY),
        ("my leg's swollen and tender, no chest pain though", Route.TODAY),
        ("it's not blue but my foot is numb", Route.DOCTOR),
        ("my foot's numb but it's not cold or blue", Route.DOCTOR),
        # Signs that hold a negation, or follow one that is about something else: still signs.
        ("I can't breathe", Route.EMERGENCY),
        ("I'm not breathing properly", Route.EMERGENCY),
        ("no pain and I can't breathe", Route.EMERGENCY),
        ("not cold and my toes are blue", Route.EMERGENCY),
        ("I'm not feeling well my chest hurts", Route.EMERGENCY),
        ("I'm not sure but my chest is tight", Route.EMERGENCY),
        ("I don't think I can breathe", Route.EMERGENCY),
        ("no feeling in my toes", Route.DOCTOR),
        ("the sore on my foot is not healing", Route.DOCTOR),
        ("not swollen, it's blue", Route.EMERGENCY),
    ],
)
def test_a_sign_said_as_absent_is_no_sign(
    content_store: ContentStore, words: str, route: Route
) -> None:
    assert route_of(content_store, words) is route


def test_a_matched_sign_said_as_absent_in_another_slot_is_no_sign(
    content_store: ContentStore,
) -> None:
    # The model put "swollen" in a RED_FLAG slot (id swelling) and "not" in another.
    assert (
        route_of(content_store, "not swollen it just hurts", frozenset({"swelling"})) is Route.NONE
    )
    assert route_of(content_store, "swollen", frozenset({"swelling"})) is Route.DOCTOR


@pytest.mark.parametrize(
    ("words", "signs", "route"),
    [
        # The model put "gasping" in a RED_FLAG slot (id breathing), "for a cuppa" in another.
        ("gasping for a cuppa and my calf cramping", frozenset({"breathing"}), Route.NONE),
        ("gasping for a cuppa and i cant breathe", frozenset({"breathing"}), Route.EMERGENCY),
        # A value whose words are not the sign's own words still counts as its sign.
        ("heart attack", frozenset({"emergency"}), Route.EMERGENCY),
    ],
)
def test_a_matched_sign_said_only_inside_an_idiom_is_no_sign(
    content_store: ContentStore, words: str, signs: frozenset[str], route: Route
) -> None:
    assert route_of(content_store, words, signs) is route
