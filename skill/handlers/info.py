"""Information: causes, prevention tips, when to see a doctor."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.state import Offer
from skill.handlers.base import IntentHandler, raw_slot_value
from skill.speech import Reply


class CauseHandler(IntentHandler):
    intent = "CauseIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("cause"), offer=Offer.TIP)


class PreventionTipHandler(IntentHandler):
    intent = "PreventionTipIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        # A topic said alone comes in `answer` (a type of its own, with TIP_TOPIC's ids).
        topic = self.slot_id(handler_input, "topic", "TIP_TOPIC") or self.slot_id(
            handler_input, "answer", "TIP_TOPIC"
        )
        spoken = raw_slot_value(handler_input, "topic")[1]
        turn = self.turn(handler_input)
        if topic is None and spoken:
            return self.answer(handler_input, self.services.tips.unknown())
        return self.answer(handler_input, self.services.tips.next(turn, topic))


class DoctorHandler(IntentHandler):
    intent = "DoctorIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("doctor"), end=True)
