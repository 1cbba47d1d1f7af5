"""Relief: what to do right now, on launch, for a named place, when it still hurts, warmth or
cold, and when it has let go."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name, is_request_type
from ask_sdk_model.response import Response

from skill.conversation.asked import thing_answer
from skill.conversation.safety import in_a_stretch, relief_answer
from skill.conversation.state import Offer
from skill.conversation.turn import Answer
from skill.handlers.base import IntentHandler, SkillHandler, raw_slot_value
from skill.handlers.safety import SafetyHandler
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


class CrampReliefHandler(SafetyHandler):
    """A cramp: relief for the place named. A warning sign said with it never reaches here:
    WarningSignHandler, registered first, answers it (relief, then the doctor sentence)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("CrampReliefIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn, muscle = self.turn(handler_input), self.muscle(handler_input)
        return self.answer(handler_input, relief_answer(turn, muscle))


class StillCrampingHandler(SafetyHandler):
    """Still cramping: the next step up; in a routine, the stretch stops first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("StillCrampingIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        if in_a_stretch(turn):
            return self.answer(handler_input, relief_answer(turn, self.muscle(handler_input)))
        return self.answer(handler_input, self.services.relief.still_cramping(turn))


class HeatOrColdHandler(SkillHandler):
    """ "Heat or cold?", or the one chosen after the still-cramping offer of either. A sign said
    with the choice ("the ice pack, and my toes are tingling") gets its route from
    WarningSignHandler, registered first, and never reaches here."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name("HeatOrColdIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        remedy = self.slot_id(handler_input, "remedy", "HEAT_OR_COLD")
        spoken = raw_slot_value(handler_input, "remedy")[1]
        if remedy is None and spoken:
            # "Is a cup of milk good for it" fits a remedy question's words: the thing named
            # gets its own answer (milk, the calcium tip; pickle juice, the honest one).
            return self.answer(handler_input, thing_answer(self.services, turn, spoken))
        answer = self.services.relief.heat_or_cold(turn, remedy)
        return self.answer(handler_input, answer)


class CrampGoneHandler(IntentHandler):
    """ "It's gone now, thanks": a kind goodbye."""

    intent = "CrampGoneIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        # Mid-routine, the place is kept as stop keeps it, so a later launch can offer it; only
        # the words differ.
        self.services.routines.stop(self.turn(handler_input))
        return self.answer(handler_input, Answer(Reply("cramp_gone"), end=True))
