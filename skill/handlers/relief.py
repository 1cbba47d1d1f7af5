"""Relief: what to do right now, on launch, for a named place, and when it still hurts."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.handlers.base import IntentHandler, SkillHandler, state_of
from skill.handlers.routine import launch_offer
from skill.speech import Reply
from skill.state import MAX_STILL_COUNT, Offer


class LaunchRequestHandler(SkillHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        # A routine left recently: the same relief first, then the offer to pick it up.
        resumed = launch_offer(self, handler_input)
        if resumed is not None:
            return resumed
        return self.say(handler_input, Reply("launch"), offer=Offer.STRETCH)


class CrampReliefHandler(IntentHandler):
    intent = "CrampReliefIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        muscle = self.slot_id(handler_input, "muscle", "MUSCLE") or "general"
        return self.say(handler_input, Reply("relief", {"muscle": muscle}), offer=Offer.STRETCH)


def still_cramping(handler: SkillHandler, handler_input: HandlerInput) -> Response:
    """The next step up the first time; asked again, the doctor advice."""
    state = state_of(handler_input)
    state.still_count = min(state.still_count + 1, MAX_STILL_COUNT)
    if state.still_count == 1:
        return handler.say(handler_input, Reply("still_cramping"), offer=Offer.STILL)
    return handler.say(handler_input, Reply("still_cramping_again"), end=True)


class StillCrampingHandler(IntentHandler):
    intent = "StillCrampingIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return still_cramping(self, handler_input)
