"""Touches on a screen: the step screen's Back, Next and Stop buttons.

Each arrives as an Alexa.Presentation.APL.UserEvent and is handled by the very handler of the
intent the button stands for, so touching Next and saying "next" cannot drift apart.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.apl.directive import TOUCH_INTENTS, touched_intent
from skill.conversation.services import Services
from skill.handlers.base import IntentHandler, SkillHandler
from skill.handlers.builtin import StopHandler
from skill.handlers.routine import NextHandler, PreviousHandler

_SPOKEN: tuple[type[IntentHandler], ...] = (PreviousHandler, NextHandler, StopHandler)


class TouchHandler(SkillHandler):
    """A button of one of our documents: answered as its intent would be."""

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.by_intent = {handler.intent: handler(services) for handler in _SPOKEN}
        missing = set(TOUCH_INTENTS.values()) - set(self.by_intent)
        if missing:
            raise LookupError(f"no handler for the touched intents {sorted(missing)}")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return touched_intent(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = touched_intent(handler_input)
        assert intent is not None  # can_handle said so
        response = self.by_intent[intent].handle(handler_input)
        return response if response is not None else self.silent(handler_input)
