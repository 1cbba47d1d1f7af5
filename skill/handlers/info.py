"""Information: causes, prevention tips, when to see a doctor, red flags."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.relief import red_flag
from skill.conversation.state import Offer
from skill.conversation.tips import next_tip
from skill.handlers.base import IntentHandler
from skill.speech import Reply


class CauseHandler(IntentHandler):
    intent = "CauseIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("cause"), offer=Offer.TIP)


class PreventionTipHandler(IntentHandler):
    intent = "PreventionTipIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        topic = self.slot_id(handler_input, "topic", "TIP_TOPIC")
        return self.answer(handler_input, next_tip(self.turn(handler_input), topic))


class DoctorHandler(IntentHandler):
    intent = "DoctorIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("doctor"), end=True)


class RedFlagHandler(IntentHandler):
    intent = "RedFlagIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        symptom = self.slot_id(handler_input, "symptom", "RED_FLAG")
        return self.answer(handler_input, red_flag(self.turn(handler_input), symptom))
