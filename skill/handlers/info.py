"""Information: causes, prevention tips, when to see a doctor."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.asked import thing_answer, topics_named
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
        turn = self.turn(handler_input)
        # A topic said alone comes in `answer` (a type of its own, with TIP_TOPIC's ids).
        topic = self.slot_id(handler_input, "topic", "TIP_TOPIC") or self.slot_id(
            handler_input, "answer", "TIP_TOPIC"
        )
        if topic is not None:
            return self.answer(handler_input, self.services.tips.next(turn, topic))
        # A thing named in the topic's place or heard of ("I heard {claim}") that is no topic of
        # ours; then free words around a tip question ("how do I stop them when I'm running"),
        # whose one topic named is the tip asked for.
        thing = raw_slot_value(handler_input, "topic")[1]
        thing = thing or raw_slot_value(handler_input, "claim")[1]
        if thing:
            return self.answer(handler_input, thing_answer(self.services, turn, thing))
        query = raw_slot_value(handler_input, "query")[1] or ""
        named = topics_named(self.services, turn, query)
        topic = next(iter(named)) if len(named) == 1 else None
        return self.answer(handler_input, self.services.tips.next(turn, topic))


class DoctorHandler(IntentHandler):
    intent = "DoctorIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("doctor"), end=True)
