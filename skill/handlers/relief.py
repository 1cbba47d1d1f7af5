"""Relief: what to do right now, on launch, for a named place, and when it still hurts."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.conversation.relief import still_cramping
from skill.conversation.state import Offer
from skill.handlers.base import IntentHandler, SkillHandler
from skill.speech import Reply


class LaunchRequestHandler(SkillHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        # A routine left recently: the same relief first, then the offer to pick it up.
        resumed = self.services.routines.launch_offer(self.turn(handler_input))
        if resumed is not None:
            return self.answer(handler_input, resumed)
        return self.say(handler_input, Reply("launch"), offer=Offer.STRETCH)


class CrampReliefHandler(IntentHandler):
    intent = "CrampReliefIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        muscle = self.slot_id(handler_input, "muscle", "MUSCLE") or "general"
        return self.say(handler_input, Reply("relief", {"muscle": muscle}), offer=Offer.STRETCH)


class StillCrampingHandler(IntentHandler):
    intent = "StillCrampingIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, still_cramping(self.turn(handler_input)))
