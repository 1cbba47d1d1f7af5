"""Resume across sessions: the place in a routine is saved, offered on a launch within fifteen
minutes, and never needed for relief (the store being unusable only means no offer)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.user import User
from flask.testing import FlaskClient

from skill import create_app
from skill.devtools.devca import DevCA
from skill.handlers.info import CauseHandler
from skill.storage import DATABASE_NAME, sqlite_path
from skill.storage.salt import load_or_create_salt
from skill.storage.sqlite import SQLiteStore
from tests.helpers.alexa import AlexaClient, text_of
from tests.helpers.people import PLAIN_LAUNCH, FakeClock, Person, into_calf_step_three, offer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app_config(app_config: dict[str, Any], clock: FakeClock) -> dict[str, Any]:
    return {**app_config, "CLOCK": clock}


@pytest.fixture
def person(alexa: AlexaClient, clock: FakeClock) -> Person:
    return Person(alexa, clock)


# --- saving and offering -----------------------------------------------------------------------


def test_stop_then_launch_offers_to_continue(person: Person) -> None:
    into_calf_step_three(person)
    assert text_of(person.say("AMAZON.StopIntent")) == "Stopped at step three. Rest easy."
    person.clock.advance(minutes=5)
    launch = person.launch()
    assert text_of(launch) == offer("calf stretches", "three")
    assert launch["response"]["shouldEndSession"] is False
    resumed = person.say("AMAZON.ResumeIntent")
    assert text_of(resumed).startswith("Picking up. Step three. Sit down, and circle your ankle")
    assert text_of(person.say("AMAZON.NextIntent")) == "That was the last stretch. Sleep well."


def test_yes_to_the_offer_continues(person: Person) -> None:
    person.say("GuidedStretchIntent", routine="bedtime")
    person.say("AMAZON.NextIntent")
    person.say("AMAZON.CancelIntent")
    assert text_of(person.launch()) == offer("bedtime stretches", "two")
    assert text_of(person.say("AMAZON.YesIntent")).startswith("Picking up. Step two.")


def test_pause_then_resume_in_a_new_session(person: Person) -> None:
    into_calf_step_three(person)
    paused = person.say("AMAZON.PauseIntent")
    assert text_of(paused) == "Paused at step three. Say continue when you're ready."
    assert paused["response"]["shouldEndSession"] is False
    person.silence()
    person.clock.advance(minutes=10)
    # "Alexa, ask cramp relief to continue": a one-shot, straight back into the routine.
    payload = person.say("AMAZON.ResumeIntent")
    assert text_of(payload).startswith("Picking up. Step three.")
    assert payload["sessionAttributes"]["routine"] == {
        "routine": "calf",
        "step": 2,
        "paused": False,
    }


def test_pause_then_continue_in_the_same_session(person: Person) -> None:
    person.say("GuidedStretchIntent", routine="toes")
    person.say("AMAZON.PauseIntent")
    assert person.say("AMAZON.PauseIntent")["sessionAttributes"]["routine"]["paused"] is True
    assert text_of(person.say("AMAZON.ResumeIntent")).startswith("Picking up. Step one.")


def test_silence_mid_routine_is_saved(person: Person) -> None:
    person.say("GuidedStretchIntent", routine="foot")
    person.say("AMAZON.NextIntent")
    assert person.silence()["response"] == {}
    assert text_of(person.launch()) == offer("foot stretches", "two")


def test_a_handler_failing_mid_routine_keeps_the_place(
    person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, handler_input: object) -> None:
        raise RuntimeError("boom")

    into_calf_step_three(person)
    monkeypatch.setattr(CauseHandler, "handle", broken)
    failed = person.say("CauseIntent")
    assert text_of(failed).startswith("Sorry, something went wrong.")
    # The skill ended the session itself, so no SessionEndedRequest will come to save the place.
    assert failed["response"]["shouldEndSession"] is True
    monkeypatch.undo()
    person.clock.advance(minutes=1)
    assert text_of(person.launch()) == offer("calf stretches", "three")


@pytest.mark.parametrize(("minutes", "offered"), [(14, True), (15, True), (16, False)])
def test_offered_for_fifteen_minutes(person: Person, minutes: int, offered: bool) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.clock.advance(minutes=minutes)
    launch = text_of(person.launch())
    assert launch == (offer("calf stretches", "three") if offered else PLAIN_LAUNCH)


def test_continue_after_the_window_offers_a_new_stretch(person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.clock.advance(minutes=16)
    payload = person.say("AMAZON.ResumeIntent")
    assert text_of(payload) == (
        "You're not in a stretch right now. Want me to guide you through a stretch?"
    )


def test_declining_the_offer_does_not_extend_it(person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.clock.advance(minutes=10)
    assert text_of(person.launch()) == offer("calf stretches", "three")
    assert text_of(person.say("AMAZON.StopIntent")) == "Okay. Rest easy."
    person.clock.advance(minutes=6)
    assert text_of(person.launch()) == PLAIN_LAUNCH


def test_finishing_clears_the_saved_place(person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.launch()
    person.say("AMAZON.ResumeIntent")
    person.say("AMAZON.NextIntent")  # the last step done
    assert text_of(person.launch()) == PLAIN_LAUNCH


def test_relief_after_the_offer_is_still_relief(person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.launch()
    payload = person.say("CrampReliefIntent", muscle="calf")
    assert text_of(payload).startswith("Straighten your leg")
    assert text_of(person.say("AMAZON.YesIntent")).startswith("Relief stretches, six steps.")


def test_another_user_is_offered_nothing(
    person: Person, client: FlaskClient, dev_ca: DevCA, clock: FakeClock
) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    stranger = Person(AlexaClient(client, dev_ca), clock)
    assert text_of(stranger.launch()) == PLAIN_LAUNCH


def test_two_workers_share_the_saved_place(
    app_config: dict[str, Any], dev_ca: DevCA, clock: FakeClock
) -> None:
    """Gunicorn runs several workers, each its own app: one saves, another offers."""
    first = Person(AlexaClient(create_app(app_config).test_client(), dev_ca), clock)
    into_calf_step_three(first)
    first.say("AMAZON.StopIntent")
    second = AlexaClient(create_app(app_config).test_client(), dev_ca)
    second.conversation.user_id = first.alexa.conversation.user_id
    assert text_of(Person(second, clock).launch()) == offer("calf stretches", "three")


# --- what the store holds, and trusting none of it ---------------------------------------------


def store(app_config: Mapping[str, Any]) -> SQLiteStore:
    path = Path(app_config["DATABASE"])
    return SQLiteStore(path, load_or_create_salt(path.with_name(f"{path.name}.salt")))


def envelope_for(user_id: str) -> RequestEnvelope:
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))


def test_the_saved_row_holds_the_place_and_time(
    person: Person, app_config: dict[str, Any], clock: FakeClock
) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    user = person.alexa.conversation.user_id
    saved = store(app_config).get_attributes(envelope_for(user))
    assert saved == {"resume": {"routine": "calf", "step": 2, "saved_at": clock().isoformat()}}
    with sqlite3.connect(app_config["DATABASE"]) as conn:
        dump = "\n".join(conn.iterdump())
    assert user not in dump


def test_other_saved_attributes_are_kept(person: Person, app_config: dict[str, Any]) -> None:
    user = person.alexa.conversation.user_id
    store(app_config).save_attributes(envelope_for(user), {"other": [1, 2]})
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.launch()
    person.say("AMAZON.ResumeIntent")
    person.say("AMAZON.NextIntent")
    assert store(app_config).get_attributes(envelope_for(user)) == {"other": [1, 2]}


def _bad_rows(now: datetime) -> list[Any]:
    fresh = now.isoformat()
    return [
        {"resume": {"routine": "x", "step": 0, "saved_at": fresh}},
        {"resume": {"routine": "calf", "step": -1, "saved_at": fresh}},
        {"resume": {"routine": "calf", "step": 10**9, "saved_at": fresh}},
        {"resume": {"routine": "calf", "step": "2", "saved_at": fresh}},
        {"resume": {"routine": "calf", "step": True, "saved_at": fresh}},
        {"resume": {"routine": "calf", "step": 1.0, "saved_at": fresh}},
        {"resume": {"routine": "calf", "step": 1}},
        {"resume": {"routine": "calf", "step": 1, "saved_at": "yesterday"}},
        {"resume": {"routine": "calf", "step": 1, "saved_at": 12345}},
        {
            "resume": {
                "routine": "calf",
                "step": 1,
                "saved_at": now.replace(tzinfo=None).isoformat(),
            }
        },
        {
            "resume": {
                "routine": "calf",
                "step": 1,
                "saved_at": (now + timedelta(hours=1)).isoformat(),
            }
        },
        {"resume": {"routine": "calf", "step": 1, "saved_at": "x" * 10_000}},
        {"resume": ["calf", 1, fresh]},
        {"resume": "calf"},
        {"resume": None},
    ]


@pytest.mark.parametrize("index", range(len(_bad_rows(datetime.now(UTC)))))
def test_a_bad_saved_row_is_no_saved_place(
    person: Person, app_config: dict[str, Any], clock: FakeClock, index: int
) -> None:
    row = _bad_rows(clock())[index]
    store(app_config).save_attributes(envelope_for(person.alexa.conversation.user_id), row)
    assert text_of(person.launch()) == PLAIN_LAUNCH
    assert text_of(person.say("AMAZON.ResumeIntent")).startswith("Relief stretches, six steps.")


def test_a_saved_row_from_a_minute_ahead_is_still_offered(
    person: Person, app_config: dict[str, Any], clock: FakeClock
) -> None:
    """A worker's clock a little ahead must not hide a fresh save."""
    row: dict[str, object] = {
        "resume": {
            "routine": "toes",
            "step": 1,
            "saved_at": (clock() + timedelta(seconds=30)).isoformat(),
        }
    }
    store(app_config).save_attributes(envelope_for(person.alexa.conversation.user_id), row)
    assert text_of(person.launch()) == offer("toe stretches", "two")


# --- the store unavailable: relief is spoken all the same --------------------------------------


def _unusable_database(tmp_path: Path, how: str) -> Path:
    if how == "parent is a file":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a regular file")
        return blocker / DATABASE_NAME
    if how == "missing folder":
        return tmp_path / "no" / "such" / "folder" / DATABASE_NAME
    path = tmp_path / DATABASE_NAME
    if how == "corrupt file":
        path.write_bytes(b"this is not an SQLite database" * 100)
    elif how == "database is a folder":
        path.mkdir()
    return path


@pytest.mark.parametrize(
    "how", ["parent is a file", "missing folder", "corrupt file", "database is a folder"]
)
def test_unusable_database_still_gives_relief(
    app_config: dict[str, Any],
    dev_ca: DevCA,
    clock: FakeClock,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    how: str,
) -> None:
    app_config = {**app_config, "DATABASE": str(_unusable_database(tmp_path, how))}
    with caplog.at_level(logging.ERROR):
        person = Person(AlexaClient(create_app(app_config).test_client(), dev_ca), clock)
        assert text_of(person.launch()) == PLAIN_LAUNCH
        into_calf_step_three(person)
        assert text_of(person.say("AMAZON.PauseIntent")).startswith("Paused at step three.")
        assert text_of(person.say("AMAZON.StopIntent")) == "Okay. Rest easy."
        assert text_of(person.launch()) == PLAIN_LAUNCH
        person.say("GuidedStretchIntent", routine="toes")
        person.silence()
        assert text_of(person.say("AMAZON.ResumeIntent")) == (
            "You're not in a stretch right now. Want me to guide you through a stretch?"
        )
    assert any("resume" in record.getMessage() for record in caplog.records)


# --- where the database lives ------------------------------------------------------------------


def test_apps_made_in_tests_keep_their_database_in_the_test_folder(
    tmp_path: Path, temporary_database: Path
) -> None:
    """The autouse fixture: an app given no DATABASE does not open the checkout's instance/."""
    app = create_app({"TESTING": True, "VERIFY_REQUESTS": False})
    assert sqlite_path(app.config["DATABASE"], app.instance_path) == temporary_database
    assert temporary_database.parent == tmp_path


def test_default_database_is_in_the_instance_folder(tmp_path: Path) -> None:
    instance = str(tmp_path / "instance")
    assert sqlite_path(None, instance) == tmp_path / "instance" / DATABASE_NAME
    assert (tmp_path / "instance").is_dir()


def test_an_instance_folder_that_cannot_be_made_does_not_stop_the_app(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with caplog.at_level(logging.ERROR):
        instance = str(blocker / "instance")
        assert sqlite_path(None, instance) == blocker / "instance" / DATABASE_NAME
    assert "instance folder" in caplog.text


def test_database_setting_is_used_as_given(tmp_path: Path) -> None:
    instance = str(tmp_path / "instance")
    assert sqlite_path(str(tmp_path / "elsewhere.sqlite3"), instance) == (
        tmp_path / "elsewhere.sqlite3"
    )
    assert not (tmp_path / "instance").exists()
