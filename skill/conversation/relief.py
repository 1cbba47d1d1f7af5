"""Relief beyond the first instruction: when it is still cramping, and warmth or cold."""

from __future__ import annotations

from typing import Final

from skill.conversation.state import MAX_STILL_COUNT, Offer
from skill.conversation.turn import Answer, Turn
from skill.speech import Reply

REMEDIES: Final = ("heat", "cold")


class Relief:
    """Relief after the first instruction, a member of Services as the routines are. (The first
    instruction itself comes with the safety routes: skill.conversation.safety.)"""

    def still_cramping(self, turn: Turn) -> Answer:
        """The next step up the first time; asked again, the doctor advice, and the session
        ends."""
        state = turn.state
        state.still_count = min(state.still_count + 1, MAX_STILL_COUNT)
        if state.still_count == 1:
            return Answer(Reply("still_cramping"), offer=Offer.STILL)
        return Answer(Reply("still_cramping_again"), end=True)

    def heat_or_cold(self, turn: Turn, remedy: str | None) -> Answer:
        """The one chosen (a HEAT_OR_COLD id), else both, compared; then whether it still
        cramps."""
        choice = remedy if remedy in REMEDIES else "both"
        return Answer(Reply("heat_or_cold", {"remedy": choice}), offer=Offer.STILL)
