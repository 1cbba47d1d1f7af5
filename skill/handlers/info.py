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
        turn = self.turn(handler_input)
        # A topic said alone comes in `answer` (a type of its own, with TIP_TOPIC's ids).
        topic = self.slot_id(handler_input, "topic", "TIP_TOPIC") or self.slot_id(
            handler_input, "answer", "TIP_TOPIC"
        )
        spoken = raw_slot_value(handler_input, "topic")[1]
        if topic is None and spoken:
            # "Would a hot water bottle do it any good" fits a tip question's words: warmth or
            # cold named in the topic gets that answer; anything else, the honest one.
            remedies = self.services.slots.mentioned(turn.locale, "HEAT_OR_COLD", spoken)
            if len(remedies) == 1:
                answer = self.services.relief.heat_or_cold(turn, next(iter(remedies)))
                return self.answer(handler_input, answer)
            return self.answer(handler_input, self.services.tips.unknown())
        if topic is None:
            # Free words: "how do I stop them when I'm running" ({query}) or a thing heard of,
            # "I heard tonic water helps" ({claim}). The one topic named in them is the tip
            # asked for; a claim naming none is about a thing we have no fact for.
            claim = raw_slot_value(handler_input, "claim")[1]
            remedies = self.services.slots.mentioned(turn.locale, "HEAT_OR_COLD", claim or "")
            if len(remedies) == 1:
                # "Would it help to stick my foot in hot water": warmth asked about.
                answer = self.services.relief.heat_or_cold(turn, next(iter(remedies)))
                return self.answer(handler_input, answer)
            words = " ".join(w for w in (raw_slot_value(handler_input, "query")[1], claim) if w)
            for thing in turn.content.tips.not_topics:
                words = f" {words.casefold()} ".replace(f" {thing} ", " ")
            named = self.services.slots.mentioned(turn.locale, "TIP_TOPIC", words)
            if len(named) == 1:
                topic = next(iter(named))
            elif claim and not named:
                return self.answer(handler_input, self.services.tips.unknown())
        return self.answer(handler_input, self.services.tips.next(turn, topic))


class DoctorHandler(IntentHandler):
    intent = "DoctorIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("doctor"), end=True)
