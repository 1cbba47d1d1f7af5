"""The nightly bedtime reminder: set, change, cancel, check, and Alexa's answer to asking for the
permission. Thin: skill.conversation.reminder_talk holds the dialog (yes to the question is in
YesHandler's table)."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.clock import ClockTime
from skill.handlers.base import IntentHandler, SkillHandler, raw_slot_value
from skill.voice_permission import is_permission_answer

TIME_SLOT = "time"


def slot_time(handler_input: HandlerInput) -> ClockTime | None:
    """The AMAZON.TIME slot as a bedtime: "HH:MM" only (a vague "tonight" is no time)."""
    _, spoken = raw_slot_value(handler_input, TIME_SLOT)
    time = ClockTime.parse(spoken)
    return None if time is None else time.at_bedtime()


class SetReminderHandler(IntentHandler):
    """ "Remind me to stretch before bed", "set a bedtime reminder at ten": the question first."""

    intent = "SetReminderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        return self.answer(
            handler_input, self.services.reminders.ask(turn, slot_time(handler_input))
        )


class ChangeReminderHandler(IntentHandler):
    """ "Change my reminder to nine thirty"."""

    intent = "ChangeReminderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        answer = self.services.reminders.change(turn, slot_time(handler_input))
        return self.answer(handler_input, answer)


class CancelReminderHandler(IntentHandler):
    intent = "CancelReminderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.reminders.cancel(self.turn(handler_input)))


class ReminderStatusHandler(IntentHandler):
    intent = "ReminderStatusIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.reminders.status(self.turn(handler_input)))


class PermissionAnswerHandler(SkillHandler):
    """The Connections.Response to asking for the reminders permission by voice."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_permission_answer(handler_input.request_envelope.request)

    def handle(self, handler_input: HandlerInput) -> Response:
        answer = self.services.reminders.permission(self.turn(handler_input))
        return self.answer(handler_input, answer)
