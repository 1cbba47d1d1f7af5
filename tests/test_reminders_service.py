"""The reminders service against the stand-in: what it sends, keeps, and answers on failure."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_model.request_envelope import RequestEnvelope

from skill import codec
from skill.alexa_api import AMAZON_ENDPOINTS, AlexaApiAccess, AlexaApiError, Failure
from skill.clock import ClockTime
from skill.content import ContentStore, LocaleContent
from skill.conversation.reminder_store import REMINDER_KEY, ReminderStore, SavedReminder
from skill.conversation.reminders import Outcome, ReminderKeeper
from skill.data import data_dir
from skill.envelopes import Conversation
from skill.simulator.alexa_api import AlexaApiStandIn
from skill.storage import PersistenceError
from skill.storage.sqlite import SQLiteStore

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
TEN_PM = ClockTime(22, 0)


@pytest.fixture(scope="module")
def words() -> dict[str, LocaleContent]:
    store = ContentStore(data_dir("responses"), "en-US")
    return {locale: store.content(locale) for locale in ("en-US", "en-GB")}


@dataclass
class User:
    """One user on one device, with their own store, talking to the stand-in."""

    stand_in: AlexaApiStandIn
    token: str
    conversation: Conversation
    adapter: SQLiteStore
    service: ReminderKeeper

    def envelope(self) -> RequestEnvelope:
        raw = self.conversation.intent("SetReminderIntent")
        raw["context"]["System"]["apiEndpoint"] = self.stand_in.endpoint
        raw["context"]["System"]["apiAccessToken"] = self.token
        envelope: RequestEnvelope = codec.from_json(raw, RequestEnvelope)
        return envelope

    def manager(self, envelope: RequestEnvelope) -> AttributesManager:
        return AttributesManager(envelope, persistence_adapter=self.adapter)

    def run(self, action: str, *args: Any) -> Any:
        envelope = self.envelope()
        store = ReminderStore(self.manager(envelope))
        return getattr(self.service, action)(envelope, store, *args)

    def saved(self) -> SavedReminder | None:
        return self.service.saved(ReminderStore(self.manager(self.envelope())))

    def reminders(self) -> list[dict[str, Any]]:
        return self.stand_in.reminders(self.token)


@pytest.fixture
def make_user(alexa_api: AlexaApiStandIn, tmp_path: Path) -> Callable[..., User]:
    def make(granted: bool = True, **access: Any) -> User:
        settings = {"endpoints": [alexa_api.endpoint], "ca_file": str(alexa_api.ca_file)}
        service = ReminderKeeper(AlexaApiAccess(**{**settings, **access}), clock=lambda: NOW)
        adapter = SQLiteStore(tmp_path / "store.sqlite3", b"s" * 32)
        return User(
            alexa_api, alexa_api.new_user(granted=granted), Conversation(), adapter, service
        )

    return make


def test_set_creates_one_daily_reminder_in_the_device_zone(
    make_user: Callable[..., User], words: dict[str, LocaleContent]
) -> None:
    user = make_user()
    user.stand_in.set_time_zone(user.conversation.device_id, "America/Denver")
    result = user.run("set", "en-US", words["en-US"], TEN_PM)
    assert (result.outcome, result.time, result.zone_fallback) == (Outcome.SET, TEN_PM, False)
    [reminder] = user.reminders()
    trigger = reminder["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["timeZoneId"] == "America/Denver"
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;INTERVAL=1"
    ]
    # 15:00 UTC is 08:00 in Denver: the first one is tonight, in local time without a zone.
    assert trigger["recurrence"]["startDateTime"] == "2026-12-01T22:00:00"
    assert reminder["alertInfo"]["spokenInfo"]["content"] == [
        {"locale": "en-US", "text": words["en-US"].reminders.text}
    ]
    assert reminder["pushNotification"] == {"status": "DISABLED"}
    assert user.saved() == SavedReminder(reminder["alertToken"], TEN_PM, "America/Denver")


def test_only_one_reminder_per_user(
    make_user: Callable[..., User], words: dict[str, LocaleContent]
) -> None:
    user = make_user()
    user.run("set", "en-US", words["en-US"], TEN_PM)
    again = user.run("set", "en-US", words["en-US"], ClockTime(21, 30))
    assert again.outcome is Outcome.SET
    [reminder] = user.reminders()
    assert "BYHOUR=21;BYMINUTE=30" in reminder["trigger"]["recurrence"]["recurrenceRules"][0]


@pytest.mark.parametrize(("zone", "fail"), [(None, None), ("America/Denver", 500)])
def test_time_zone_fallback(
    make_user: Callable[..., User],
    words: dict[str, LocaleContent],
    zone: str | None,
    fail: int | None,
) -> None:
    user = make_user()
    user.stand_in.set_time_zone(user.conversation.device_id, zone)
    if fail:
        user.stand_in.fail_next(fail)
    result = user.run("set", "en-GB", words["en-GB"], TEN_PM)
    assert (result.outcome, result.zone_fallback) == (Outcome.SET, True)
    assert user.reminders()[0]["trigger"]["timeZoneId"] == "Europe/London"


def test_move_cancel_status(
    make_user: Callable[..., User], words: dict[str, LocaleContent]
) -> None:
    user = make_user()
    assert user.run("status").outcome is Outcome.NONE
    assert user.run("cancel").outcome is Outcome.NONE
    assert user.run("move", "en-US", words["en-US"], TEN_PM).outcome is Outcome.NONE
    user.run("set", "en-US", words["en-US"], TEN_PM)
    status = user.run("status")
    assert (status.outcome, status.time) == (Outcome.ON, TEN_PM)
    moved = user.run("move", "en-US", words["en-US"], ClockTime(21, 30))
    assert (moved.outcome, moved.time) == (Outcome.MOVED, ClockTime(21, 30))
    assert user.saved() is not None and user.saved().time == ClockTime(21, 30)  # type: ignore[union-attr]
    assert user.run("cancel").outcome is Outcome.CANCELLED
    assert user.reminders() == [] and user.saved() is None


@pytest.mark.parametrize("action", ["status", "cancel", "move"])
def test_deleted_in_the_alexa_app_is_gone_and_forgotten(
    make_user: Callable[..., User], words: dict[str, LocaleContent], action: str
) -> None:
    user = make_user()
    user.run("set", "en-US", words["en-US"], TEN_PM)
    user.stand_in.delete_in_app(user.token, user.reminders()[0]["alertToken"])
    args = ("en-US", words["en-US"], TEN_PM) if action == "move" else ()
    assert user.run(action, *args).outcome is Outcome.GONE
    assert user.saved() is None


def test_set_after_deletion_in_the_app_makes_a_new_one(
    make_user: Callable[..., User], words: dict[str, LocaleContent]
) -> None:
    user = make_user()
    user.run("set", "en-US", words["en-US"], TEN_PM)
    user.stand_in.delete_in_app(user.token, user.reminders()[0]["alertToken"])
    assert user.run("set", "en-US", words["en-US"], TEN_PM).outcome is Outcome.SET
    [reminder] = user.reminders()
    assert user.saved() == SavedReminder(reminder["alertToken"], TEN_PM, "America/New_York")


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (401, Outcome.NOT_PERMITTED),
        (403, Outcome.NOT_PERMITTED),
        (400, Outcome.UNAVAILABLE),
        (429, Outcome.UNAVAILABLE),
        (500, Outcome.UNAVAILABLE),
        (503, Outcome.UNAVAILABLE),
    ],
)
def test_failed_set_stores_nothing(
    make_user: Callable[..., User], words: dict[str, LocaleContent], status: int, outcome: Outcome
) -> None:
    user = make_user()
    user.stand_in.set_time_zone(user.conversation.device_id, "America/Denver")
    user.stand_in.fail_next(status)  # the time zone call fails too: the fallback is used
    user.stand_in.fail_next(status)
    assert user.run("set", "en-US", words["en-US"], TEN_PM).outcome is outcome
    assert user.reminders() == [] and user.saved() is None


def test_no_permission_from_the_api(
    make_user: Callable[..., User], words: dict[str, LocaleContent]
) -> None:
    user = make_user(granted=False)
    assert user.run("set", "en-US", words["en-US"], TEN_PM).outcome is Outcome.NOT_PERMITTED
    assert user.saved() is None


@pytest.mark.parametrize(
    ("status", "outcome"), [(429, Outcome.UNAVAILABLE), (403, Outcome.NOT_PERMITTED)]
)
def test_failed_cancel_keeps_the_reminder(
    make_user: Callable[..., User], words: dict[str, LocaleContent], status: int, outcome: Outcome
) -> None:
    user = make_user()
    user.run("set", "en-US", words["en-US"], TEN_PM)
    user.stand_in.fail_next(status)
    assert user.run("cancel").outcome is outcome
    assert len(user.reminders()) == 1 and user.saved() is not None


def test_a_slow_api_is_given_up_on_in_time(
    make_user: Callable[..., User], words: dict[str, LocaleContent]
) -> None:
    user = make_user(timeout=0.5)
    user.stand_in.stall_next(1.5)  # the time zone: fallback
    user.stand_in.stall_next(1.5)  # the POST: given up
    started = time.monotonic()
    assert user.run("set", "en-US", words["en-US"], TEN_PM).outcome is Outcome.UNAVAILABLE
    assert time.monotonic() - started < 1.5
    time.sleep(2)  # let the stalled calls finish before the next test arranges its own
    assert user.saved() is None


def test_the_token_goes_only_to_alexa(
    make_user: Callable[..., User], words: dict[str, LocaleContent]
) -> None:
    user = make_user(endpoints=AMAZON_ENDPOINTS)
    calls = len(user.stand_in.calls)
    assert user.run("set", "en-US", words["en-US"], TEN_PM).outcome is Outcome.UNAVAILABLE
    assert len(user.stand_in.calls) == calls


def test_created_but_not_stored_is_deleted_again(
    make_user: Callable[..., User], words: dict[str, LocaleContent], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user()

    def broken(*_: object, **__: object) -> None:
        raise PersistenceError("disk full")

    monkeypatch.setattr(user.adapter, "save_attributes", broken)
    assert user.run("set", "en-US", words["en-US"], TEN_PM).outcome is Outcome.UNAVAILABLE
    assert user.reminders() == []


def test_tampered_store_rows_are_no_reminder(
    make_user: Callable[..., User],
) -> None:
    user = make_user()
    envelope = user.envelope()
    for row in (
        {"alertToken": "../../v2/x", "time": "22:00", "timeZone": "Europe/London"},
        {"alertToken": "abc", "time": "25:00", "timeZone": "Europe/London"},
        {"alertToken": "abc", "time": "22:00", "timeZone": "Nowhere/Else"},
        "abc",
    ):
        user.adapter.save_attributes(envelope, {REMINDER_KEY: row})
        assert user.saved() is None
        assert user.run("status").outcome is Outcome.NONE


def test_api_errors_map_to_failures() -> None:
    from skill.alexa_api import failure_of

    assert failure_of(404) is Failure.NOT_FOUND
    assert failure_of(401) is failure_of(403) is Failure.NOT_PERMITTED
    assert failure_of(400) is Failure.REJECTED
    assert failure_of(429) is failure_of(500) is failure_of(None) is Failure.UNAVAILABLE
    assert "HTTP 503" in str(AlexaApiError(Failure.UNAVAILABLE, 503, "x"))
