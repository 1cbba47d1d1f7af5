"""Amazon's built-in intents: help, stop, fallback, repeat, yes and no.

Inside a guided routine, help, stop, cancel, yes and no hand over to the routine's own replies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.services import Services
from skill.conversation.state import Offer
from skill.conversation.turn import Answer, Turn
from skill.handlers.base import IntentHandler
from skill.speech import RenderError, Reply

GENERAL_RELIEF = Reply("relief", {"muscle": "general"})

# What yes does to each offer the last response may have ended with.
YES_TO: Final[Mapping[Offer, Callable[[Services, Turn], Answer]]] = MappingProxyType(
    {
        Offer.STRETCH: lambda services, turn: services.routines.start(turn),
        Offer.TIP: lambda services, turn: services.tips.next(turn),
        Offer.STILL: lambda services, turn: services.relief.still_cramping(turn),
        Offer.CONTINUE: lambda services, turn: services.routines.resume(turn),
        Offer.REMINDER: lambda services, turn: services.reminders.yes(turn),
    }
)


class HelpHandler(IntentHandler):
    """Help; inside a routine, the words that move through it."""

    intent = "AMAZON.HelpIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.answer(handler_input, self.services.routines.help(self.turn(handler_input)))


class _GoodbyeHandler(IntentHandler):
    def handle(self, handler_input: HandlerInput) -> Response:
        # Mid-routine, stopping keeps the place so the next launch can offer to pick it up.
        return self.answer(handler_input, self.services.routines.stop(self.turn(handler_input)))


class StopHandler(_GoodbyeHandler):
    intent = "AMAZON.StopIntent"


class CancelHandler(_GoodbyeHandler):
    intent = "AMAZON.CancelIntent"


class NavigateHomeHandler(_GoodbyeHandler):
    intent = "AMAZON.NavigateHomeIntent"


class FallbackHandler(IntentHandler):
    intent = "AMAZON.FallbackIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        # Mid-routine, how to go on is the useful answer to something unclear; and, as outside
        # one, the emergency line, since Alexa sends no words with a fallback and they may have
        # been a warning sign the model could not place ("hold on I can't breathe").
        if turn.state.routine is not None:
            return self.say(handler_input, Reply("routine_fallback"))
        return self.say(handler_input, Reply("fallback"))


class RepeatHandler(IntentHandler):
    """Repeats the last reply, re-rendered from what was kept, never from client-sent SSML."""

    intent = "AMAZON.RepeatIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        state = self.turn(handler_input).state
        if state.last is not None:
            try:
                return self.say(handler_input, state.last, offer=state.offer)
            except RenderError:
                # A kept reply whose values the content no longer knows: say the relief instead.
                pass
        return self.say(handler_input, GENERAL_RELIEF, offer=Offer.STRETCH)


class YesHandler(IntentHandler):
    """Yes answers the offer the last response made; with none pending, it goes on with the
    routine, if one is going; else help."""

    intent = "AMAZON.YesIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        action = YES_TO.get(turn.state.offer) if turn.state.offer is not None else None
        if action is not None:
            return self.answer(handler_input, action(self.services, turn))
        going_on = self.services.routines.go_on(turn)
        return self.answer(handler_input, going_on or Answer(Reply("help")))


class NoHandler(_GoodbyeHandler):
    intent = "AMAZON.NoIntent"
