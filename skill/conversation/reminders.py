"""A nightly bedtime-stretch reminder through Alexa's Reminders API: set, move, cancel, check.

One reminder per user, its settings kept by skill.conversation.reminder_store. A reminder the
API no longer has (deleted in the Alexa app: 404) is forgotten here too. Nothing is stored unless
Alexa created the reminder, and a reminder created but not stored is deleted again, so the two
never disagree for long.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.services.reminder_management.alert_info import AlertInfo
from ask_sdk_model.services.reminder_management.push_notification import PushNotification
from ask_sdk_model.services.reminder_management.push_notification_status import (
    PushNotificationStatus,
)
from ask_sdk_model.services.reminder_management.recurrence import Recurrence
from ask_sdk_model.services.reminder_management.reminder_request import ReminderRequest
from ask_sdk_model.services.reminder_management.spoken_info import SpokenInfo
from ask_sdk_model.services.reminder_management.spoken_text import SpokenText
from ask_sdk_model.services.reminder_management.trigger import Trigger
from ask_sdk_model.services.reminder_management.trigger_type import TriggerType

from skill.alexa_api import AlexaApi, AlexaApiAccess, AlexaApiError, Failure
from skill.clock import ClockTime
from skill.content import LocaleContent
from skill.conversation.reminder_store import (
    ALERT_TOKEN,
    ReminderStore,
    SavedReminder,
    StoreUnavailable,
    valid_zone,
)

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    SET = "set"  # created (or an old one moved): every night at `time`
    MOVED = "moved"
    CANCELLED = "cancelled"
    ON = "on"  # status: it is there, at `time`
    NONE = "none"  # there is no reminder from this skill
    GONE = "gone"  # it was deleted elsewhere (the Alexa app); forgotten here too
    NOT_PERMITTED = "not_permitted"  # 401/403: ask again, by card
    UNAVAILABLE = "unavailable"  # 429, 5xx, timeout, store down: nothing changed


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    time: ClockTime | None = None
    # True when the device's time zone could not be read and the locale's was used.
    zone_fallback: bool = False


def reminder_request(
    time: ClockTime, zone: str, locale: str, text: str, now: datetime
) -> ReminderRequest:
    """A daily reminder at `time` in `zone`, spoken in `locale`, without a push notification."""
    local_now = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)
    start = local_now.replace(hour=time.hour, minute=time.minute, second=0)
    if start < local_now:
        start += timedelta(days=1)
    rule = f"FREQ=DAILY;BYHOUR={time.hour};BYMINUTE={time.minute};BYSECOND=0;INTERVAL=1"
    return ReminderRequest(
        request_time=local_now,
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            time_zone_id=zone,
            recurrence=Recurrence(start_date_time=start, recurrence_rules=[rule]),
        ),
        alert_info=AlertInfo(
            spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=text)])
        ),
        push_notification=PushNotification(status=PushNotificationStatus.DISABLED),
    )


class ReminderKeeper:
    """The API side: each method takes the request, the user's store, and for setting, the
    locale and its content; it answers with a Result."""

    def __init__(
        self,
        access: AlexaApiAccess | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.access = access or AlexaApiAccess()
        self.clock = clock

    def set(
        self,
        envelope: RequestEnvelope,
        store: ReminderStore,
        locale: str,
        content: LocaleContent,
        time: ClockTime,
    ) -> Result:
        """Set the one reminder at `time`: create it, or move the one already set."""
        api = self.access.for_request(envelope)
        if api is None:
            return Result(Outcome.UNAVAILABLE)
        try:
            saved = store.load()
            body, zone, fallback = self._request(api, locale, content, time)
            token = self._create_or_move(api, saved, body)
        except AlexaApiError as err:
            return _failed("set", err)
        except StoreUnavailable as err:
            log.error("reminder not set, the store is unavailable: %s", err)
            return Result(Outcome.UNAVAILABLE)
        try:
            store.save(SavedReminder(token, time, zone))
        except StoreUnavailable as err:
            log.error("reminder created but not stored, so deleted again: %s", err)
            if saved is None or saved.alert_token != token:
                _undo(api, token)
            return Result(Outcome.UNAVAILABLE)
        return Result(Outcome.SET, time, fallback)

    def move(
        self,
        envelope: RequestEnvelope,
        store: ReminderStore,
        locale: str,
        content: LocaleContent,
        time: ClockTime,
    ) -> Result:
        """Move the reminder to `time`; NONE if there is none, GONE if it was deleted."""
        return self._on_saved(
            envelope,
            store,
            "move",
            lambda api, store, saved: self._move(api, store, saved, locale, content, time),
        )

    def cancel(self, envelope: RequestEnvelope, store: ReminderStore) -> Result:
        def delete(api: AlexaApi, store: ReminderStore, saved: SavedReminder) -> Result:
            api.delete_reminder(saved.alert_token)
            store.save(None)
            return Result(Outcome.CANCELLED, saved.time)

        return self._on_saved(envelope, store, "cancel", delete)

    def status(self, envelope: RequestEnvelope, store: ReminderStore) -> Result:
        def check(api: AlexaApi, store: ReminderStore, saved: SavedReminder) -> Result:
            if api.reminder_is_on(saved.alert_token):
                return Result(Outcome.ON, saved.time)
            store.save(None)  # it went off for the last time, or was turned off: gone for us
            return Result(Outcome.GONE, saved.time)

        return self._on_saved(envelope, store, "check", check)

    def saved(self, store: ReminderStore) -> SavedReminder | None:
        """The stored reminder, without asking Alexa; None also when the store is down."""
        try:
            return store.load()
        except StoreUnavailable as err:
            log.error("could not read the saved reminder: %s", err)
            return None

    def _on_saved(
        self,
        envelope: RequestEnvelope,
        store: ReminderStore,
        action: str,
        work: Callable[[AlexaApi, ReminderStore, SavedReminder], Result],
    ) -> Result:
        try:
            saved = store.load()
            if saved is None:
                return Result(Outcome.NONE)
            api = self.access.for_request(envelope)
            if api is None:
                return Result(Outcome.UNAVAILABLE, saved.time)
            try:
                return work(api, store, saved)
            except AlexaApiError as err:
                if err.failure is not Failure.NOT_FOUND:
                    return _failed(action, err, saved.time)
                store.save(None)
                return Result(Outcome.GONE, saved.time)
        except StoreUnavailable as err:
            log.error("could not %s the reminder, the store is unavailable: %s", action, err)
            return Result(Outcome.UNAVAILABLE)

    def _move(
        self,
        api: AlexaApi,
        store: ReminderStore,
        saved: SavedReminder,
        locale: str,
        content: LocaleContent,
        time: ClockTime,
    ) -> Result:
        body, zone, fallback = self._request(api, locale, content, time)
        api.update_reminder(saved.alert_token, body)
        store.save(SavedReminder(saved.alert_token, time, zone))
        return Result(Outcome.MOVED, time, fallback)

    def _request(
        self, api: AlexaApi, locale: str, content: LocaleContent, time: ClockTime
    ) -> tuple[ReminderRequest, str, bool]:
        """The body for `time`, the zone it is set in, and whether that zone is the fallback."""
        zone, fallback = self._zone(api, content)
        body = reminder_request(time, zone, locale, content.reminders.text, self.clock())
        return body, zone, fallback

    @staticmethod
    def _create_or_move(api: AlexaApi, saved: SavedReminder | None, body: ReminderRequest) -> str:
        if saved is not None:
            try:
                api.update_reminder(saved.alert_token, body)
                return saved.alert_token
            except AlexaApiError as err:
                if err.failure is not Failure.NOT_FOUND:
                    raise
        token = api.create_reminder(body)
        if not ALERT_TOKEN.fullmatch(token):
            _undo(api, token)
            raise AlexaApiError(Failure.UNAVAILABLE, 200, "an alertToken we cannot keep")
        return token

    @staticmethod
    def _zone(api: AlexaApi, content: LocaleContent) -> tuple[str, bool]:
        """The device's time zone, else the locale's fallback (and True)."""
        fallback = content.reminders.fallback_zone
        try:
            zone = valid_zone(api.time_zone())
        except AlexaApiError as err:
            log.warning("device time zone unavailable, using %s: %s", fallback, err)
            zone = None
        return (zone, False) if zone is not None else (fallback, True)


def _failed(action: str, err: AlexaApiError, time: ClockTime | None = None) -> Result:
    if err.failure is Failure.NOT_PERMITTED:
        log.info("could not %s the reminder, no permission: %s", action, err)
        return Result(Outcome.NOT_PERMITTED, time)
    # A 400 means our own request is wrong: worth an error line, though the user hears the same.
    level = logging.ERROR if err.failure is Failure.REJECTED else logging.WARNING
    log.log(level, "could not %s the reminder: %s", action, err)
    return Result(Outcome.UNAVAILABLE, time)


def _undo(api: AlexaApi, token: str) -> None:
    try:
        api.delete_reminder(token)
    except AlexaApiError as err:
        log.error("could not delete a reminder we could not keep: %s", err)
