"""The nightly bedtime reminder: set, change, cancel, check; yes to the question; the answer to
asking for the permission by voice. Thin: skill.conversation.reminders does the work, and
skill.conversation.reminder_replies says what happened.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name
from ask_sdk_model.response import Response

from skill.alexa_api import reminders_granted
from skill.conversation.reminder_replies import ask_time, offer, outcome_reply
from skill.conversation.reminder_store import StoreUnavailable
from skill.conversation.reminder_time import ClockTime
from skill.conversation.reminders import Outcome, Result
from skill.conversation.state import Offer
from skill.conversation.turn import Answer
from skill.handlers.base import IntentHandler, SkillHandler, raw_slot_value
from skill.speech import Reply
from skill.voice_permission import (
    PermissionAnswer,
    answer_token,
    ask_for_reminders,
    consent_card,
    is_permission_answer,
    permission_answer,
)

TIME_SLOT = "time"
# The AskFor token carries the time asked about; it comes back in the Connections.Response.
_TOKEN_PREFIX = "reminder@"


def _session_id(handler_input: HandlerInput) -> str:
    session_id = getattr(handler_input.request_envelope.session, "session_id", None)
    return session_id if isinstance(session_id, str) else ""


def slot_time(handler_input: HandlerInput) -> ClockTime | None:
    """The AMAZON.TIME slot as a bedtime: "HH:MM" only (a vague "tonight" is no time)."""
    _, spoken = raw_slot_value(handler_input, TIME_SLOT)
    time = ClockTime.parse(spoken)
    return None if time is None else time.at_bedtime()


class _ReminderHandler(SkillHandler):
    def speak_result(self, handler_input: HandlerInput, result: Result, action: str) -> Response:
        """Say what the service did; with the consent card when the permission is missing."""
        said = outcome_reply(result, action, self.turn(handler_input).content)
        if said.card:
            handler_input.response_builder.set_card(consent_card())
        return self.answer(handler_input, Answer(said.reply, end=True))

    def ask(self, handler_input: HandlerInput, time: ClockTime | None) -> Response:
        """The question for `time`, or the ask for a time when there is none."""
        turn = self.turn(handler_input)
        turn.state.reminder_time = time
        if time is None:
            return self.answer(handler_input, Answer(ask_time()))
        return self.answer(handler_input, Answer(offer(turn.content, time), offer=Offer.REMINDER))

    def create(self, handler_input: HandlerInput, time: ClockTime) -> Response:
        turn = self.turn(handler_input)
        result = self.services.reminders.set(
            handler_input.request_envelope,
            handler_input.attributes_manager,
            turn.locale,
            turn.content,
            time,
        )
        return self.speak_result(handler_input, result, "set")


class SetReminderHandler(_ReminderHandler, IntentHandler):
    """ "Remind me to stretch before bed", "set a bedtime reminder at ten": the question first."""

    intent = "SetReminderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.ask(handler_input, slot_time(handler_input))


class ChangeReminderHandler(_ReminderHandler, IntentHandler):
    """ "Change my reminder to nine thirty": moved at once (it was asked for in so many words)."""

    intent = "ChangeReminderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        time = slot_time(handler_input)
        if time is None:
            return self.ask(handler_input, None)
        turn = self.turn(handler_input)
        result = self.services.reminders.move(
            handler_input.request_envelope,
            handler_input.attributes_manager,
            turn.locale,
            turn.content,
            time,
        )
        return self.speak_result(handler_input, result, "move")


class CancelReminderHandler(_ReminderHandler, IntentHandler):
    intent = "CancelReminderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        result = self.services.reminders.cancel(
            handler_input.request_envelope, handler_input.attributes_manager
        )
        return self.speak_result(handler_input, result, "cancel")


class ReminderStatusHandler(_ReminderHandler, IntentHandler):
    intent = "ReminderStatusIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        result = self.services.reminders.status(
            handler_input.request_envelope, handler_input.attributes_manager
        )
        return self.speak_result(handler_input, result, "check")


class ReminderYesHandler(_ReminderHandler):
    """Yes to the reminder question: set it if the permission is there; else Alexa asks for it
    (Connections.SendRequest AskFor), and the Connections.Response carries on."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_intent_name("AMAZON.YesIntent")(handler_input):
            return False
        state = self.turn(handler_input).state
        return state.offer is Offer.REMINDER and state.reminder_time is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        state = self.turn(handler_input).state
        time = state.reminder_time
        assert time is not None  # can_handle saw to it
        if reminders_granted(handler_input.request_envelope):
            return self.create(handler_input, time)
        try:
            self.turn(handler_input).reminder.ask(
                time, _session_id(handler_input), self.services.clock()
            )
        except StoreUnavailable:
            return self.speak_result(handler_input, Result(Outcome.UNAVAILABLE), "set")
        state.offer = None
        directive = ask_for_reminders(_TOKEN_PREFIX + time.text())
        # No speech and no shouldEndSession: Alexa speaks its own question, then answers.
        response: Response = handler_input.response_builder.add_directive(directive).response
        return response


class PermissionAnswerHandler(_ReminderHandler):
    """The Connections.Response to the AskFor: set the reminder only if a yes in this session
    asked for this very time; else say why not (denied, no answer, or the card instead)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_permission_answer(handler_input.request_envelope.request)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if not is_permission_answer(request):
            raise TypeError("not a Connections.Response to AskFor")  # can_handle saw to it
        answer = permission_answer(request)
        turn = self.turn(handler_input)
        turn.state.reminder_time = None
        asked = turn.reminder.take_asked(_session_id(handler_input), self.services.clock())
        token = answer_token(request)
        echoed = ClockTime.parse(token.removeprefix(_TOKEN_PREFIX)) if token else None
        if answer is PermissionAnswer.ACCEPTED and asked is not None and echoed == asked:
            return self.create(handler_input, asked)
        if answer is PermissionAnswer.CANNOT_ASK and asked is not None:
            handler_input.response_builder.set_card(consent_card())
            return self.answer(handler_input, Answer(Reply("reminder_card"), end=True))
        denied = answer is PermissionAnswer.DENIED
        template = "reminder_denied" if denied else "reminder_not_answered"
        return self.answer(handler_input, Answer(Reply(template), end=True))
