"""Times of day: AMAZON.TIME as the simulator resolves it, the bedtime reading, and the words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.clock import ClockTime
from skill.content import ContentStore
from skill.conversation.reminder_time import say_time
from skill.data import data_dir
from skill.simulator.spoken_time import resolve_time


@pytest.mark.parametrize(
    ("spoken", "value"),
    [
        ("ten", "10:00"),
        ("ten pm", "22:00"),
        ("ten p.m.", "22:00"),
        ("nine thirty", "09:30"),
        ("nine thirty at night", "21:30"),
        ("half ten", "10:30"),
        ("half past nine", "09:30"),
        ("quarter to ten", "09:45"),
        ("ten oh five", "10:05"),
        ("eleven o'clock", "11:00"),
        ("twelve thirty a.m.", "00:30"),
        ("10:30", "10:30"),
        ("10pm", "22:00"),
        ("midnight", "00:00"),
        ("tonight", "NI"),
        ("in a bit", None),
        ("forty two", None),
        ("25:00", None),
    ],
)
def test_amazon_time_as_alexa_resolves_it(spoken: str, value: str | None) -> None:
    assert resolve_time(spoken) == value


@pytest.mark.parametrize(
    ("slot", "bedtime"),
    [
        ("10:00", "22:00"),
        ("05:00", "17:00"),
        ("21:30", "21:30"),
        ("00:30", "00:30"),
        ("04:00", "04:00"),
        ("12:00", "12:00"),
    ],
)
def test_an_ambiguous_morning_hour_is_read_as_evening(slot: str, bedtime: str) -> None:
    parsed = ClockTime.parse(slot)
    assert parsed is not None and parsed.at_bedtime().text() == bedtime


@pytest.mark.parametrize("value", ["NI", "EV", "24:00", "9:30", "21:60", "", None, 2200, "21:30 "])
def test_anything_but_hh_mm_is_no_time(value: object) -> None:
    assert ClockTime.parse(value) is None


@pytest.fixture(scope="module")
def store() -> ContentStore:
    return ContentStore(data_dir("responses"), "en-US")


@pytest.mark.parametrize(
    ("time", "said"),
    [
        (ClockTime(22, 0), "ten p.m."),
        (ClockTime(21, 30), "nine thirty p.m."),
        (ClockTime(22, 5), "ten oh five p.m."),
        (ClockTime(0, 0), "midnight"),
        (ClockTime(12, 0), "noon"),
        (ClockTime(0, 45), "twelve forty-five a.m."),
    ],
)
def test_times_are_said_as_people_say_them(store: ContentStore, time: ClockTime, said: str) -> None:
    assert say_time(store.content("en-US"), time) == said


STORE = ContentStore(data_dir("responses"), "en-US")


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["en-US", "en-GB"]))
def test_every_time_is_said_without_digits(hour: int, minute: int, locale: str) -> None:
    said = say_time(STORE.content(locale), ClockTime(hour, minute))
    assert said and not any(ch.isdigit() for ch in said)
    assert ClockTime.parse(ClockTime(hour, minute).text()) == ClockTime(hour, minute)
