"""What every handler shares: the services it is built with, and speaking an Answer."""

from __future__ import annotations

from typing import ClassVar

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name
from ask_sdk_model.response import Response

from skill.apl.directive import has_screen, render_document
from skill.apl.screens import screen_for
from skill.content import LocaleContent
from skill.conversation.services import Services
from skill.conversation.state import Offer
from skill.conversation.turn import Answer, Turn, turn_of
from skill.entity_resolution import read_model_slot
from skill.speech import Reply


def raw_slot_value(handler_input: HandlerInput, name: str) -> tuple[str | None, str | None]:
    """(entity-resolution id, spoken value) of a slot; either may be None."""
    # IntentRequest and CanFulfillIntentRequest both carry an intent with slots.
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None)
    slot = slots.get(name) if isinstance(slots, dict) else None
    if slot is None:
        return None, None
    reading = read_model_slot(slot)
    return reading.match_id, reading.value


def respond(
    handler_input: HandlerInput,
    services: Services,
    locale: str,
    content: LocaleContent,
    reply: Reply,
    *,
    end: bool,
) -> Response:
    """The response for `reply`: its speech, its reprompt unless the session ends, and on a
    device with a screen (and only there) its APL document. Every reply is built here."""
    speech = services.renderer.render(locale, reply)
    builder = handler_input.response_builder.speak(speech.ssml)
    if not end and speech.reprompt is not None:
        builder.ask(speech.reprompt)
    builder.set_should_end_session(end or speech.reprompt is None)
    if services.screens is not None and has_screen(handler_input):
        # The screen says what the speech says; no card is sent, so nothing duplicates it.
        screen = screen_for(services.screens, locale, content, reply, speech)
        builder.add_directive(render_document(screen))
    response: Response = builder.response
    return response


class SkillHandler(AbstractRequestHandler):
    """A request handler built with the app's services; subclasses set `can_handle` and `handle`."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def slot_id(self, handler_input: HandlerInput, slot: str, slot_type: str) -> str | None:
        """A slot's value id, only if it is one of ours (resolution ids are client data too)."""
        resolution_id, spoken = raw_slot_value(handler_input, slot)
        return self.services.slots.resolve(
            turn_of(handler_input).locale, slot_type, resolution_id, spoken
        )

    def say(
        self,
        handler_input: HandlerInput,
        reply: Reply,
        *,
        offer: Offer | None = None,
        end: bool = False,
    ) -> Response:
        """Speak `reply`; keep the session open with its reprompt unless `end`."""
        return self.answer(handler_input, Answer(reply, offer=offer, end=end))

    def answer(self, handler_input: HandlerInput, answer: Answer) -> Response:
        """Speak what a conversation service answered, and record it in the turn."""
        turn = turn_of(handler_input)
        builder = handler_input.response_builder
        if answer.card is not None:
            builder.set_card(answer.card)
        if answer.directive is not None:
            builder.add_directive(answer.directive)
        if answer.silent:
            turn.record(answer)
            silent: Response = builder.response
            return silent
        response = respond(
            handler_input, self.services, turn.locale, turn.content, answer.reply, end=answer.end
        )
        turn.record(answer)
        return response

    def turn(self, handler_input: HandlerInput) -> Turn:
        """This request's turn (locale, validated state, content), from the turn interceptor."""
        return turn_of(handler_input)

    def silent(self, handler_input: HandlerInput) -> Response:
        """An empty response: no speech, nothing else."""
        response: Response = handler_input.response_builder.response
        return response


class IntentHandler(SkillHandler):
    """A handler for the one intent named by the class attribute `intent`."""

    intent: ClassVar[str] = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name(self.intent)(handler_input))
