"""The one catch-all exception handler: log it, apologise briefly, and still give the relief."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.services import Services
from skill.conversation.turn import find_turn
from skill.handlers.base import respond
from skill.speech import Reply

log = logging.getLogger(__name__)


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def __init__(self, services: Services) -> None:
        self.services = services

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("handler failed: %s", type(exception).__name__, exc_info=exception)
        # The turn may be missing: the failure may have come before the turn interceptor ran.
        turn = find_turn(handler_input)
        if turn is not None:
            # Ending the session here means Alexa sends no SessionEndedRequest, so this is the
            # last chance to keep the place in a routine for the next launch.
            self.services.routines.session_ended(turn)
        locale = turn.locale if turn is not None else self.services.content.default_locale
        content = self.services.content.content(locale)
        return respond(handler_input, self.services, locale, content, Reply("error"), end=True)
