"""Guided stretches: one thin handler per routine word; the flow is `conversation.routines`."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.routines import Routines
from skill.conversation.state import Offer
from skill.conversation.turn import Answer, Turn
from skill.handlers.base import IntentHandler


class GuidedStretchHandler(IntentHandler):
    """ "Guide me through a stretch": the named routine, the one for a named muscle, or relief."""

    intent = "GuidedStretchIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn, routines = self.turn(handler_input), self.services.routines
        routine = self.slot_id(handler_input, "routine", "ROUTINE")
        if routine is not None:
            return self.answer(handler_input, routines.start(turn, routine))
        muscle = self.slot_id(handler_input, "muscle", "MUSCLE")
        return self.answer(handler_input, routines.for_muscle(turn, muscle))


class _RoutineWordHandler(IntentHandler):
    """A word that moves through a routine: the class names the Routines method it calls."""

    move: ClassVar[Callable[[Routines, Turn], Answer]]

    def handle(self, handler_input: HandlerInput) -> Response:
        # Looked up on the class, so it stays a plain function of (routines, turn).
        move = type(self).move
        return self.answer(handler_input, move(self.services.routines, self.turn(handler_input)))


class NextHandler(IntentHandler):
    """Next: the next step; right after the offer of another tip, with no routine going, the
    next tip (the step screen's Next button comes here too)."""

    intent = "AMAZON.NextIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        if turn.state.routine is None and turn.state.offer is Offer.TIP:
            return self.answer(handler_input, self.services.tips.next(turn))
        return self.answer(handler_input, self.services.routines.next(turn))


class SkipStepHandler(_RoutineWordHandler):
    intent = "SkipStepIntent"
    move = Routines.skip


class PreviousHandler(_RoutineWordHandler):
    intent = "AMAZON.PreviousIntent"
    move = Routines.back


class StartOverHandler(_RoutineWordHandler):
    intent = "AMAZON.StartOverIntent"
    move = Routines.start_over


class PauseHandler(_RoutineWordHandler):
    intent = "AMAZON.PauseIntent"
    move = Routines.pause


class ResumeHandler(_RoutineWordHandler):
    intent = "AMAZON.ResumeIntent"
    move = Routines.resume


class StepsLeftHandler(_RoutineWordHandler):
    intent = "StepsLeftIntent"
    move = Routines.steps_left
