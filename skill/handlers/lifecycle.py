"""Requests that get no speech: session ends, errors Alexa reports, and types we do not use."""

from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.handlers.base import SkillHandler
from skill.speech import Reply

log = logging.getLogger(__name__)


class SessionEndedHandler(SkillHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("SessionEndedRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        reason = getattr(getattr(request, "reason", None), "value", None)
        error = getattr(request, "error", None)
        log.info(
            "session ended reason=%s error=%s",
            reason,
            getattr(getattr(error, "object_type", None), "value", None),
        )
        # The session's attributes still arrive here, so a routine left mid-way can be saved.
        self.services.routines.session_ended(self.turn(handler_input))
        return self.silent(handler_input)


class ExceptionEncounteredHandler(SkillHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("System.ExceptionEncountered")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        error = getattr(handler_input.request_envelope.request, "error", None)
        log.warning(
            "Alexa reported an error with our response: type=%s message=%s",
            getattr(getattr(error, "object_type", None), "value", None),
            getattr(error, "message", None),
        )
        return self.silent(handler_input)


class OtherRequestHandler(SkillHandler):
    """Last in the list: any request nobody above claimed gets an empty 200."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.silent(handler_input)


class UnknownIntentHandler(SkillHandler):
    """An intent no handler above claimed (one the model does not define): the fallback reply."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("IntentRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.say(handler_input, Reply("fallback"))
