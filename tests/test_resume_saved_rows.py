"""The saved place as the store holds it: bad rows are no place; an unusable store, no offer."""

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

from skill import create_app
from skill.devtools.devca import DevCA
from skill.storage import DATABASE_NAME
from skill.storage.salt import load_or_create_salt
from skill.storage.sqlite import SQLiteStore
from tests.helpers.alexa import AlexaClient, text_of
from tests.helpers.people import PLAIN_LAUNCH, FakeClock, Person, into_calf_step_three, offer


@pytest.fixture
def app_config(app_config: dict[str, Any], clock: FakeClock) -> dict[str, Any]:
    return {**app_config, "CLOCK": clock}


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
