"""The persistence contract through the skill, per backend: places, replays, a database away."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill.devtools.devca import DevCA
from tests.helpers.alexa import AlexaClient, text_of
from tests.helpers.backends import Backend
from tests.helpers.people import PLAIN_LAUNCH, FakeClock, Person, into_calf_step_three, offer
from tests.helpers.store_requests import envelope


@pytest.fixture
def app_config(app_config: dict[str, Any], backend: Backend, clock: FakeClock) -> dict[str, Any]:
    return {**app_config, "DATABASE": backend.url, "CLOCK": clock}


@pytest.mark.parametrize(
    "raw", ['"just a string"', "[1, 2, 3]", "null", "42", '{"resume": "not an object"}']
)
def test_tampered_rows_are_no_place(backend: Backend, person: Person, raw: str) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    backend.tamper(person.alexa.conversation.user_id, raw)
    assert text_of(person.launch()) == PLAIN_LAUNCH
    # And the row is writable again afterwards.
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    assert text_of(person.launch()) == offer("calf stretches", "three")


def test_a_tampered_place_is_checked_like_client_input(backend: Backend, person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    saved_at = person.clock().isoformat()
    row = {"resume": {"routine": "calf", "step": 99, "saved_at": saved_at}}
    backend.tamper(person.alexa.conversation.user_id, json.dumps(row))
    assert text_of(person.launch()) == PLAIN_LAUNCH


@pytest.mark.parametrize(("minutes", "offered"), [(14, True), (15, True), (16, False)])
def test_offered_for_fifteen_minutes(person: Person, minutes: int, offered: bool) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.clock.advance(minutes=minutes)
    assert text_of(person.launch()) == (
        offer("calf stretches", "three") if offered else PLAIN_LAUNCH
    )


def _answered_quickly(person: Person, intent: str, **slots: str) -> str:
    started = time.monotonic()
    reply = text_of(person.say(intent, **slots))
    # Alexa waits 8 s; the store may cost a timeout or two, never the whole budget.
    assert time.monotonic() - started < 4.0
    return reply


def test_database_away_mid_run_and_back(
    backend: Backend, person: Person, caplog: pytest.LogCaptureFixture
) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    with backend.away(), caplog.at_level(logging.ERROR):
        started = time.monotonic()
        assert text_of(person.launch()) == PLAIN_LAUNCH  # relief, without the offer
        assert time.monotonic() - started < 4.0
        assert _answered_quickly(person, "CrampReliefIntent", muscle="calf").startswith(
            "Straighten your leg"
        )
        _answered_quickly(person, "GuidedStretchIntent", muscle="foot")
        assert _answered_quickly(person, "AMAZON.StopIntent") == "Stopped at step one. Rest easy."
    assert any("resume" in record.getMessage() for record in caplog.records)
    time.sleep(1.1)  # past the store's pause after a failure
    # Back: what was saved before is there, and saving works again.
    assert text_of(person.launch()) == offer("calf stretches", "three")
    person.say("GuidedStretchIntent", routine="bedtime")
    person.say("AMAZON.NextIntent")
    person.say("AMAZON.StopIntent")
    assert text_of(person.launch()) == offer("bedtime stretches", "two")


def test_database_refusing_writes(backend: Backend, person: Person) -> None:
    person.launch()
    with backend.refusing_writes():
        into_calf_step_three(person)
        assert text_of(person.say("AMAZON.StopIntent")) == "Stopped at step three. Rest easy."
        assert text_of(person.launch()) == PLAIN_LAUNCH  # the place could not be saved
    time.sleep(1.1)
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    assert text_of(person.launch()) == offer("calf stretches", "three")


def test_a_replay_is_refused_by_another_app_on_the_same_database(
    make_app: Callable[[], Flask], dev_ca: DevCA, clock: FakeClock
) -> None:
    first = AlexaClient(make_app().test_client(), dev_ca)
    second = AlexaClient(make_app().test_client(), dev_ca)
    signed = first.conversation.session_ended("USER_INITIATED", when=clock())
    assert first.post(signed).status_code == 200
    for replayer in (second, first):
        reply = replayer.post(signed)
        assert reply.status_code == 400
        assert reply.get_json()["reason"] == "request already answered (a replay)"
    assert second.post(second.conversation.launch(when=clock())).status_code == 200


def test_replays_with_the_store_away_are_answered_and_logged_once(
    backend: Backend,
    make_app: Callable[[], Flask],
    dev_ca: DevCA,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    alexa = AlexaClient(make_app().test_client(), dev_ca)
    with backend.away(), caplog.at_level(logging.ERROR, logger="skill.storage"):
        for _ in range(3):  # a second apart, so each one really tries the store
            assert alexa.post(alexa.conversation.launch(when=clock())).status_code == 200
            time.sleep(0.6)
        # This process still remembers what it answered.
        again = alexa.conversation.launch(when=clock())
        assert alexa.post(again).status_code == 200
        assert alexa.post(again).status_code == 400
    lines = [r for r in caplog.records if "replays are checked in this process" in r.getMessage()]
    assert len(lines) == 1


def test_readyz_names_the_backend_and_whether_it_answers(
    backend: Backend, client: FlaskClient
) -> None:
    reply = client.get("/readyz")
    assert (reply.status_code, reply.get_json()) == (
        200,
        {"status": "ready", "backend": backend.name},
    )
    with backend.away():
        reply = client.get("/readyz")
        assert reply.status_code == 503
        assert reply.get_json()["backend"] == backend.name
        assert reply.get_json()["reason"].startswith("persistence does not answer: ")


def test_reminder_settings_are_kept_like_places(alexa: AlexaClient, backend: Backend) -> None:
    """The bedtime reminder's alertToken, time and zone go through the same store as a place."""
    alexa.grant_reminders()
    alexa.intent("SetReminderIntent", time="22:00")
    alexa.intent("AMAZON.YesIntent")
    [reminder] = alexa.reminders()
    kept = backend.open().get_attributes(envelope(alexa.conversation.user_id))["reminder"]
    assert kept == {
        "alertToken": reminder["alertToken"],
        "time": "22:00",
        "timeZone": "America/New_York",
    }
    assert "ten p.m." in text_of(alexa.intent("ReminderStatusIntent"))
    alexa.intent("CancelReminderIntent")
    assert "reminder" not in backend.open().get_attributes(envelope(alexa.conversation.user_id))
    assert alexa.reminders() == []
