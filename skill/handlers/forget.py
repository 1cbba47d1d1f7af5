"""'Alexa, ask cramp relief to forget me': delete everything kept for this user, and say so."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.turn import Answer
from skill.handlers.base import IntentHandler
from skill.speech import Reply


class ForgetMeHandler(IntentHandler):
    """Deletes the stored row (a place in a routine under a salted hash of the user id) in
    whichever store the app runs on, and forgets the routine in this session too."""

    intent = "ForgetMeIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = self.turn(handler_input)
        turn.state.routine = None
        forgotten = turn.places.forget_user()
        reply = Reply("forgotten" if forgotten else "forget_failed")
        return self.answer(handler_input, Answer(reply, end=True))
