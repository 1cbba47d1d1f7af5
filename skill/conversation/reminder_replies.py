"""What the skill says about the bedtime reminder: each service outcome as a reply.

Every outcome ends the session (the person is going to sleep); only the question and the ask
for a time keep it open. NOT_PERMITTED comes with the consent card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from skill.content import LocaleContent
from skill.conversation.reminder_time import ClockTime, say_time
from skill.conversation.reminders import Outcome, Result
from skill.speech import Reply

# The unavailable reply names what could not be done: content.reminders.unavailable[action].
ACTIONS: Final = ("set", "move", "cancel", "check")

_PLAIN: Final = {
    Outcome.CANCELLED: "reminder_cancelled",
    Outcome.NONE: "reminder_none",
    Outcome.GONE: "reminder_gone",
}


@dataclass(frozen=True)
class ReminderReply:
    reply: Reply
    card: bool = False  # send the AskForPermissionsConsent card with it


def offer(content: LocaleContent, time: ClockTime) -> Reply:
    """The one question, with the time and "every night" said aloud."""
    return Reply("reminder_offer", {"time": say_time(content, time)})


def ask_time() -> Reply:
    return Reply("reminder_ask_time")


def outcome_reply(result: Result, action: str, content: LocaleContent) -> ReminderReply:
    """The reply for what the service did (or could not do) when asked to `action`."""
    outcome = result.outcome
    if outcome is Outcome.NOT_PERMITTED:
        return ReminderReply(Reply("reminder_card"), card=True)
    if outcome is Outcome.UNAVAILABLE:
        return ReminderReply(Reply("reminder_unavailable", {"action": action}))
    if outcome in _PLAIN:
        return ReminderReply(Reply(_PLAIN[outcome]))
    said = say_time(content, result.time) if result.time is not None else ""
    if outcome is Outcome.ON:
        return ReminderReply(Reply("reminder_status", {"time": said}))
    zone = content.reminders.zone_words if result.zone_fallback else ""
    template = "reminder_set" if outcome is Outcome.SET else "reminder_moved"
    return ReminderReply(Reply(template, {"time": said, "zone": zone}))
