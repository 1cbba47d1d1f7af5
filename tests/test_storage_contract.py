"""The persistence contract, run once per backend (SQLite, PostgreSQL, DynamoDB via moto): what
is saved is loaded, a place is offered for fifteen minutes, tampered rows are no place at all,
concurrent writers lose nothing, and a database that goes away, fills up or turns read-only never
keeps relief from being spoken."""

from __future__ import annotations

import json
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.launch_request import LaunchRequest
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.user import User
from flask import Flask
from flask.testing import FlaskClient

from skill.devtools.devca import DevCA
from skill.storage import PersistenceError
from tests.helpers.alexa import AlexaClient, text_of
from tests.helpers.backends import Backend
from tests.helpers.people import PLAIN_LAUNCH, FakeClock, Person, into_calf_step_three, offer


def envelope(user_id: str, request_id: str = "r") -> RequestEnvelope:
    return RequestEnvelope(
        context=Context(system=SystemState(user=User(user_id=user_id))),
        request=LaunchRequest(request_id=request_id),
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app_config(app_config: dict[str, Any], backend: Backend, clock: FakeClock) -> dict[str, Any]:
    return {**app_config, "DATABASE": backend.url, "CLOCK": clock}


@pytest.fixture
def person(alexa: AlexaClient, clock: FakeClock) -> Person:
    return Person(alexa, clock)


# --- the store itself ----------------------------------------------------------------------------


def test_save_load_delete(backend: Backend) -> None:
    store = backend.open()
    attrs: dict[str, object] = {"count": 3, "last": "calf", "nested": {"a": [1, 2.5, None, True]}}
    store.save_attributes(envelope("alice"), attrs)
    store.save_attributes(envelope("bob"), {"who": "bob"})
    assert backend.open().get_attributes(envelope("alice")) == attrs
    store.save_attributes(envelope("alice"), {"count": 4})
    assert store.get_attributes(envelope("alice")) == {"count": 4}
    store.delete_attributes(envelope("alice"))
    assert store.get_attributes(envelope("alice")) == {}
    assert store.get_attributes(envelope("bob")) == {"who": "bob"}
    assert store.get_attributes(envelope("nobody")) == {}


def test_a_value_changed_in_place_is_saved(backend: Backend) -> None:
    # The snapshot taken at load must not share nested values with what the handlers change.
    store = backend.open()
    store.save_attributes(envelope("carol"), {"place": {"step": 1}})
    loaded = store.get_attributes(envelope("carol", "r2"))
    place = loaded["place"]
    assert isinstance(place, dict)
    place["step"] = 2
    store.save_attributes(envelope("carol", "r2"), loaded)
    assert backend.open().get_attributes(envelope("carol", "r3")) == {"place": {"step": 2}}


def test_the_salt_is_made_once_and_shared(backend: Backend) -> None:
    first, second = backend.open(), backend.open()
    assert first.salt() == second.salt()
    assert len(first.salt()) == 32


def test_request_ids_are_claimed_once_until_they_expire(backend: Backend) -> None:
    first, second = backend.open(), backend.open()
    now = time.time()
    assert first.claim_request("amzn1.echo-api.request.1", now + 300, now)
    assert not second.claim_request("amzn1.echo-api.request.1", now + 300, now + 1)
    assert second.claim_request("amzn1.echo-api.request.2", now + 300, now)
    # Once expired, the id may be claimed again (its timestamp could no longer pass anyway).
    assert second.claim_request("amzn1.echo-api.request.1", now + 900, now + 301)
    first.ping()


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


# --- resume, through the skill -------------------------------------------------------------------


@pytest.mark.parametrize(("minutes", "offered"), [(14, True), (15, True), (16, False)])
def test_offered_for_fifteen_minutes(person: Person, minutes: int, offered: bool) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.clock.advance(minutes=minutes)
    assert text_of(person.launch()) == (
        offer("calf stretches", "three") if offered else PLAIN_LAUNCH
    )


# --- concurrency ---------------------------------------------------------------------------------

PROCESSES = 3
WRITES = 12
OWN_USERS = 4


def _shared_value(writer: int, seq: int) -> dict[str, object]:
    # A bulky payload so a torn or interleaved write would show up as a mismatch.
    return {"writer": writer, "seq": seq, "payload": f"w{writer}s{seq}-" * 200}


def _write_concurrently(url: str, writer: int, barrier: Any) -> None:
    from skill.storage import open_store

    store = open_store(url, "/nonexistent-instance-folder", timeout=10.0)
    store.salt()  # connected before the race starts
    barrier.wait()
    for seq in range(WRITES):
        store.save_attributes(envelope("shared-user"), _shared_value(writer, seq))
        own = envelope(f"user-{writer}-{seq % OWN_USERS}")
        store.save_attributes(own, {"writer": writer, "seq": seq})
        # Nobody else writes this user, so a read-back must see exactly this write.
        assert store.get_attributes(own) == {"writer": writer, "seq": seq}
    store.close()


def test_concurrent_processes_lose_nothing(backend: Backend) -> None:
    backend.open().migrate()
    # fork: each child opens its own store after the fork, as a gunicorn worker does, and
    # starts in milliseconds rather than importing everything again.
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(PROCESSES)
    procs = [
        ctx.Process(target=_write_concurrently, args=(backend.url, writer, barrier))
        for writer in range(PROCESSES)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [proc.exitcode for proc in procs] == [0] * PROCESSES
    store = backend.open()
    shared = store.get_attributes(envelope("shared-user"))
    assert shared in [_shared_value(writer, WRITES - 1) for writer in range(PROCESSES)]
    for writer in range(PROCESSES):
        for user in range(OWN_USERS):
            last = max(seq for seq in range(WRITES) if seq % OWN_USERS == user)
            got = store.get_attributes(envelope(f"user-{writer}-{user}"))
            assert got == {"writer": writer, "seq": last}


def test_concurrent_saves_of_different_keys(backend: Backend) -> None:
    """Two requests for one person load the same row, then each changes its own key."""
    store = backend.open()
    store.save_attributes(envelope("u"), {"resume": "old", "reminder": "old"})
    loaded = threading.Barrier(2)

    def change(key: str, request_id: str) -> None:
        attributes = store.get_attributes(envelope("u", request_id))
        loaded.wait()
        attributes[key] = "new"
        store.save_attributes(envelope("u", request_id), attributes)

    threads = [
        threading.Thread(target=change, args=("resume", "r1")),
        threading.Thread(target=change, args=("reminder", "r2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = store.get_attributes(envelope("u"))
    if backend.merges_keys:
        assert final == {"resume": "new", "reminder": "new"}
    else:  # the whole item, last writer wins: either change, never a mix or a loss of both
        assert final in ({"resume": "new", "reminder": "old"}, {"resume": "old", "reminder": "new"})


# --- the database in trouble ---------------------------------------------------------------------


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


# --- replays -------------------------------------------------------------------------------------


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


def test_store_errors_never_name_the_user(backend: Backend) -> None:
    store = backend.open()
    store.save_attributes(envelope("amzn1.ask.account.SECRET"), {"x": 1})
    with backend.away(), pytest.raises(PersistenceError) as info:
        store.get_attributes(envelope("amzn1.ask.account.SECRET"))
    assert "SECRET" not in str(info.value)


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
