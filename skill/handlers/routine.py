"""Guided stretches: one thin handler per routine word; the flow is `conversation.routines`."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

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


class NextHandler(IntentHandler):
    intent = "AMAZON.NextIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.routines.next(self.turn(handler_input)))


class SkipStepHandler(IntentHandler):
    intent = "SkipStepIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.routines.skip(self.turn(handler_input)))


class PreviousHandler(IntentHandler):
    intent = "AMAZON.PreviousIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.routines.back(self.turn(handler_input)))


class StartOverHandler(IntentHandler):
    intent = "AMAZON.StartOverIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        return self.answer(handler_input, self.services.routines.start_over(turn))


class PauseHandler(IntentHandler):
    intent = "AMAZON.PauseIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.routines.pause(self.turn(handler_input)))


class ResumeHandler(IntentHandler):
    intent = "AMAZON.ResumeIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.routines.resume(self.turn(handler_input)))


class StepsLeftHandler(IntentHandler):
    intent = "StepsLeftIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.routines.where(self.turn(handler_input)))
