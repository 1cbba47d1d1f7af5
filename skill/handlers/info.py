"""Information: causes, prevention tips, when to see a doctor."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.state import Offer
from skill.conversation.turn import Answer, Turn
from skill.handlers.base import IntentHandler, SkillHandler, raw_slot_value
from skill.speech import Reply


class CauseHandler(IntentHandler):
    intent = "CauseIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("cause"), offer=Offer.TIP)


def topics_named(handler: SkillHandler, turn: Turn, words: str) -> frozenset[str]:
    """The TIP_TOPIC ids named in free words, less the things that only share a topic's word
    ("tonic water" is no water tip)."""
    text = f" {words.casefold()} "
    for thing in turn.content.tips.not_topics:
        text = text.replace(f" {thing} ", " ")
    return handler.services.slots.mentioned(turn.locale, "TIP_TOPIC", text)


def thing_answer(handler: SkillHandler, handler_input: HandlerInput, words: str) -> Answer:
    """The answer about a thing asked of in words that named no value of the slot they filled
    ("would a hot water bottle do it any good" as a tip topic, "is a cup of milk good for it"
    as a remedy, "I heard tonic water helps"): warmth or cold named in them gets that answer; one
    prevention topic, its tip; more than one, the next tip; none, the honest answer that we have
    no advice on it, never an unrelated tip."""
    turn = handler.turn(handler_input)
    remedies = handler.services.slots.mentioned(turn.locale, "HEAT_OR_COLD", words)
    if remedies:
        remedy = next(iter(remedies)) if len(remedies) == 1 else None
        return handler.services.relief.heat_or_cold(turn, remedy)
    topics = topics_named(handler, turn, words)
    if not topics:
        return handler.services.tips.unknown()
    return handler.services.tips.next(turn, next(iter(topics)) if len(topics) == 1 else None)


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
            return self.answer(handler_input, thing_answer(self, handler_input, thing))
        query = raw_slot_value(handler_input, "query")[1] or ""
        named = topics_named(self, turn, query)
        topic = next(iter(named)) if len(named) == 1 else None
        return self.answer(handler_input, self.services.tips.next(turn, topic))


class DoctorHandler(IntentHandler):
    intent = "DoctorIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("doctor"), end=True)
