"""Amazon's built-in intents: help, stop, fallback, repeat, yes and no.

Inside a guided routine, help, stop, cancel, yes and no hand over to the routine's own replies.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.handlers.base import IntentHandler, state_of
from skill.handlers.info import next_tip
from skill.handlers.relief import still_cramping
from skill.handlers.routine import (
    continue_saved,
    next_step,
    routine_help,
    start_routine,
    stop_routine,
)
from skill.speech import RenderError, Reply
from skill.state import Offer

GENERAL_RELIEF = Reply("relief", {"muscle": "general"})


class HelpHandler(IntentHandler):
    intent = "AMAZON.HelpIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        if state_of(handler_input).routine is not None:
            return routine_help(self, handler_input)
        return self.say(handler_input, Reply("help"))


class _GoodbyeHandler(IntentHandler):
    def handle(self, handler_input: HandlerInput) -> Response:
        # Mid-routine, stopping keeps the place so the next launch can offer to pick it up.
        if state_of(handler_input).routine is not None:
            return stop_routine(self, handler_input)
        return self.say(handler_input, Reply("goodbye"), end=True)


class StopHandler(_GoodbyeHandler):
    intent = "AMAZON.StopIntent"


class CancelHandler(_GoodbyeHandler):
    intent = "AMAZON.CancelIntent"


class NavigateHomeHandler(_GoodbyeHandler):
    intent = "AMAZON.NavigateHomeIntent"


class FallbackHandler(IntentHandler):
    intent = "AMAZON.FallbackIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        # Mid-routine, the words that work there are the useful answer to something unclear.
        if state_of(handler_input).routine is not None:
            return routine_help(self, handler_input)
        return self.say(handler_input, Reply("fallback"))


class RepeatHandler(IntentHandler):
    """Repeats the last reply, re-rendered from what was kept, never from client-sent SSML."""

    intent = "AMAZON.RepeatIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        state = state_of(handler_input)
        if state.last is not None:
            try:
                return self.say(handler_input, state.last, offer=state.offer)
            except RenderError:
                # A kept reply whose values the content no longer knows: say the relief instead.
                pass
        return self.say(handler_input, GENERAL_RELIEF, offer=Offer.STRETCH)


class YesHandler(IntentHandler):
    """Yes answers the offer the last response made; with none pending, help."""

    intent = "AMAZON.YesIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        offer = state_of(handler_input).offer
        if offer is Offer.STRETCH:
            return start_routine(self, handler_input, None)
        if offer is Offer.TIP:
            return next_tip(self, handler_input, None)
        if offer is Offer.STILL:
            return still_cramping(self, handler_input)
        if offer is Offer.CONTINUE:
            return continue_saved(self, handler_input)
        routine = state_of(handler_input).routine
        if routine is not None:
            # "Okay" after a step means go on; after a pause, pick up the paused step.
            return (
                continue_saved(self, handler_input)
                if routine.paused
                else next_step(self, handler_input)
            )
        return self.say(handler_input, Reply("help"))


class NoHandler(_GoodbyeHandler):
    intent = "AMAZON.NoIntent"
