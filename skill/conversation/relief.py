"""Relief beyond the first instruction: when it is still cramping, and the emergency signs."""

from __future__ import annotations

from skill.conversation.state import MAX_STILL_COUNT, Offer
from skill.conversation.turn import Answer, Turn
from skill.speech import Reply


def still_cramping(turn: Turn) -> Answer:
    """The next step up the first time; asked again, the doctor advice, and the session ends."""
    state = turn.state
    state.still_count = min(state.still_count + 1, MAX_STILL_COUNT)
    if state.still_count == 1:
        return Answer(Reply("still_cramping"), offer=Offer.STILL)
    return Answer(Reply("still_cramping_again"), end=True)


def red_flag(turn: Turn, symptom: str | None) -> Answer:
    """A symptom worth a doctor; one of the emergency signs gets only the emergency line."""
    if symptom in turn.content.emergency.symptoms:
        return Answer(Reply("emergency"), end=True)
    return Answer(Reply("red_flag"), end=True)
