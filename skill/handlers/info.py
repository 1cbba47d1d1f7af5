"""Information: causes, prevention tips, when to see a doctor, red flags."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.handlers.base import IntentHandler, SkillHandler, locale_of, state_of
from skill.speech import Reply
from skill.state import Offer


class CauseHandler(IntentHandler):
    intent = "CauseIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("cause"), offer=Offer.TIP)


def next_tip(handler: SkillHandler, handler_input: HandlerInput, topic: str | None) -> Response:
    """The tip on `topic`, or else the first one not yet heard in this session."""
    state = state_of(handler_input)
    order: list[str] = handler.services.renderer.content(locale_of(handler_input))["tips"]["order"]
    if topic is None:
        topic = next((tip for tip in order if tip not in state.tips_heard), None)
        if topic is None:
            return handler.say(handler_input, Reply("tips_done"), end=True)
    if topic not in state.tips_heard:
        state.tips_heard.append(topic)
    return handler.say(handler_input, Reply("tip", {"topic": topic}), offer=Offer.TIP)


class PreventionTipHandler(IntentHandler):
    intent = "PreventionTipIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return next_tip(self, handler_input, self.slot_id(handler_input, "topic", "TIP_TOPIC"))


class DoctorHandler(IntentHandler):
    intent = "DoctorIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("doctor"), end=True)


class RedFlagHandler(IntentHandler):
    intent = "RedFlagIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        symptom = self.slot_id(handler_input, "symptom", "RED_FLAG")
        content = self.services.renderer.content(locale_of(handler_input))
        if symptom in content["emergency"]["symptoms"]:
            return self.say(handler_input, Reply("emergency"), end=True)
        return self.say(handler_input, Reply("red_flag"), end=True)
