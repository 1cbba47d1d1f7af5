"""The bedtime reminder in conversation: the question, yes to it, asking for the permission by
voice, and what is said about each outcome.

Amazon's reminder guidelines: the skill asks first, with the time and the recurrence said aloud,
and sets a reminder only on a yes. A yes without the permission has Alexa ask for it
(Connections.SendRequest AskFor); the Connections.Response sets the reminder only when a yes in
the same session asked for that very time. Every outcome ends the session (the person is going
to sleep); only the question and the ask for a time keep it open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Final

from skill.alexa_api import AlexaApiAccess, reminders_granted
from skill.clock import ClockTime
from skill.conversation.reminder_store import StoreUnavailable
from skill.conversation.reminder_time import say_time
from skill.conversation.reminders import Outcome, ReminderKeeper, Result
from skill.conversation.state import Offer
from skill.conversation.turn import Answer, Turn
from skill.speech import Reply
from skill.voice_permission import (
    PermissionAnswer,
    answer_token,
    ask_for_reminders,
    consent_card,
    is_permission_answer,
    permission_answer,
)

# The AskFor token carries the time asked about; it comes back in the Connections.Response.
_TOKEN_PREFIX: Final = "reminder@"
_PLAIN: Final = MappingProxyType(
    {
        Outcome.CANCELLED: "reminder_cancelled",
        Outcome.NONE: "reminder_none",
        Outcome.GONE: "reminder_gone",
    }
)


class Reminders:
    """The reminder dialog; each method takes the turn and answers."""

    def __init__(
        self,
        access: AlexaApiAccess | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.keeper = ReminderKeeper(access, clock)
        self.clock = clock

    def ask(self, turn: Turn, time: ClockTime | None) -> Answer:
        """The question for `time` ("every night at ten p.m."), or the ask for a time."""
        turn.state.reminder_time = time
        if time is None:
            return Answer(Reply("reminder_ask_time"))
        said = say_time(turn.content, time)
        return Answer(Reply("reminder_offer", {"time": said}), offer=Offer.REMINDER)

    def yes(self, turn: Turn) -> Answer:
        """Yes to the question: set it with the permission; else have Alexa ask for it."""
        time = turn.state.reminder_time
        if time is None:  # a yes to a question whose time did not come back: ask again
            return self.ask(turn, None)
        if reminders_granted(turn.request):
            return self._set(turn, time)
        try:
            turn.reminder.ask(time, _session_id(turn), self.clock())
        except StoreUnavailable:
            return said_about(turn, Result(Outcome.UNAVAILABLE), "set")
        directive = ask_for_reminders(_TOKEN_PREFIX + time.text())
        return Answer(
            Reply("reminder_offer", {"time": say_time(turn.content, time)}),
            directive=directive,
            silent=True,
        )

    def permission(self, turn: Turn) -> Answer:
        """Alexa's answer to asking for the permission (a Connections.Response to AskFor)."""
        request = turn.request.request
        turn.state.reminder_time = None
        asked = turn.reminder.take_asked(_session_id(turn), self.clock())
        if not is_permission_answer(request) or asked is None:
            return Answer(Reply("reminder_not_answered"), end=True)
        answer = permission_answer(request)
        token = answer_token(request) or ""
        if (
            answer is PermissionAnswer.ACCEPTED
            and ClockTime.parse(token.removeprefix(_TOKEN_PREFIX)) == asked
        ):
            return self._set(turn, asked)
        if answer is PermissionAnswer.CANNOT_ASK:
            return said_about(turn, Result(Outcome.NOT_PERMITTED), "set")
        denied = answer is PermissionAnswer.DENIED
        return Answer(Reply("reminder_denied" if denied else "reminder_not_answered"), end=True)

    def change(self, turn: Turn, time: ClockTime | None) -> Answer:
        """Move the reminder to `time` at once (asked for in so many words); no time: ask."""
        if time is None:
            return self.ask(turn, None)
        result = self.keeper.move(turn.request, turn.reminder, turn.locale, turn.content, time)
        return said_about(turn, result, "move")

    def cancel(self, turn: Turn) -> Answer:
        return said_about(turn, self.keeper.cancel(turn.request, turn.reminder), "cancel")

    def status(self, turn: Turn) -> Answer:
        return said_about(turn, self.keeper.status(turn.request, turn.reminder), "check")

    def _set(self, turn: Turn, time: ClockTime) -> Answer:
        result = self.keeper.set(turn.request, turn.reminder, turn.locale, turn.content, time)
        return said_about(turn, result, "set")


def said_about(turn: Turn, result: Result, action: str) -> Answer:
    """What the skill says about `result` of trying to `action` (set, move, cancel, check);
    with the consent card when the permission is missing or was withdrawn."""
    outcome = result.outcome
    if outcome is Outcome.NOT_PERMITTED:
        return Answer(Reply("reminder_card"), end=True, card=consent_card())
    if outcome is Outcome.UNAVAILABLE:
        return Answer(Reply("reminder_unavailable", {"action": action}), end=True)
    if outcome in _PLAIN:
        return Answer(Reply(_PLAIN[outcome]), end=True)
    said = say_time(turn.content, result.time) if result.time is not None else ""
    if outcome is Outcome.ON:
        return Answer(Reply("reminder_status", {"time": said}), end=True)
    zone = turn.content.reminders.zone_words if result.zone_fallback else ""
    template = "reminder_set" if outcome is Outcome.SET else "reminder_moved"
    return Answer(Reply(template, {"time": said, "zone": zone}), end=True)


def _session_id(turn: Turn) -> str:
    session_id = getattr(turn.request.session, "session_id", None)
    return session_id if isinstance(session_id, str) else ""
