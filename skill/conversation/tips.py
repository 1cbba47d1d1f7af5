"""Prevention tips: the one asked for, or the next one not yet heard in this session."""

from __future__ import annotations

from skill.conversation.state import Offer
from skill.conversation.turn import Answer, Turn
from skill.speech import Reply


class Tips:
    """The tips flow, a member of Services as the routines are."""

    def unknown(self) -> Answer:
        """Asked about something we have no fact for: say so, never an unrelated tip; then the
        offer of one we have."""
        return Answer(Reply("tip_unknown"), offer=Offer.TIP)

    def next(self, turn: Turn, topic: str | None = None) -> Answer:
        """The tip on `topic`, or else the first one not yet heard; after the last, a goodbye."""
        heard = turn.state.tips_heard
        if topic is None:
            topic = next((tip for tip in turn.content.tips.order if tip not in heard), None)
            if topic is None:
                return Answer(Reply("tips_done"), end=True)
        if topic not in heard:
            heard.append(topic)
        return Answer(Reply("tip", {"topic": topic}), offer=Offer.TIP)
