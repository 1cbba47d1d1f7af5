"""A thing asked about in words no slot value names: the answer the words call for, whichever
intent Alexa sent them in ("is a cup of milk good for it" as a remedy, "would a hot water bottle
do it any good" as a tip topic, "I heard tonic water helps")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skill.conversation.safety import normalise, without_phrases
from skill.conversation.turn import Answer, Turn

if TYPE_CHECKING:
    from skill.conversation.services import Services


def topics_named(services: Services, turn: Turn, words: str) -> frozenset[str]:
    """The TIP_TOPIC ids named in free words, less the things that only share a topic's word
    ("tonic water" is no water tip)."""
    text = without_phrases(normalise(words), turn.content.tips.not_topics)
    return services.slots.mentioned(turn.locale, "TIP_TOPIC", text)


def thing_answer(services: Services, turn: Turn, words: str) -> Answer:
    """Warmth or cold named in the words gets that answer; one prevention topic, its tip; more
    than one, the next tip; none, the honest answer that we have no advice on it, never an
    unrelated tip."""
    remedies = services.slots.mentioned(turn.locale, "HEAT_OR_COLD", words)
    if remedies:
        remedy = next(iter(remedies)) if len(remedies) == 1 else None
        return services.relief.heat_or_cold(turn, remedy)
    topics = topics_named(services, turn, words)
    if not topics:
        return services.tips.unknown()
    return services.tips.next(turn, next(iter(topics)) if len(topics) == 1 else None)
