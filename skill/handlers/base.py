"""What every handler shares: the services it is built with, and turning a Reply into speech."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name
from ask_sdk_model.response import Response

from skill.slots import SlotResolver
from skill.speech import Renderer, Reply
from skill.state import Offer, SessionState, Vocabulary

LOCALE_KEY = "locale"
STATE_KEY = "state"
VOCABULARY_KEY = "vocabulary"


@dataclass(frozen=True)
class Services:
    """What handlers need from the app, handed to each at construction (no globals)."""

    renderer: Renderer
    slots: SlotResolver
    clock: Callable[[], datetime]


def locale_of(handler_input: HandlerInput) -> str:
    """The supported locale the locale interceptor chose for this request."""
    return str(handler_input.attributes_manager.request_attributes[LOCALE_KEY])


def state_of(handler_input: HandlerInput) -> SessionState:
    """The validated session state the state interceptor loaded for this request."""
    state = handler_input.attributes_manager.request_attributes[STATE_KEY]
    if not isinstance(state, SessionState):
        raise TypeError("the session state interceptor did not run")
    return state


def vocabulary_of(handler_input: HandlerInput) -> Vocabulary:
    """The valid tips, templates and routine lengths the state interceptor checked against."""
    vocabulary = handler_input.attributes_manager.request_attributes[VOCABULARY_KEY]
    if not isinstance(vocabulary, Vocabulary):
        raise TypeError("the session state interceptor did not run")
    return vocabulary


def raw_slot_value(handler_input: HandlerInput, name: str) -> tuple[str | None, str | None]:
    """(entity-resolution id, spoken value) of a slot; either may be None."""
    # IntentRequest and CanFulfillIntentRequest both carry an intent with slots.
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None)
    slot = slots.get(name) if isinstance(slots, dict) else None
    if slot is None:
        return None, None
    spoken = slot.value if isinstance(slot.value, str) else None
    resolution_id: str | None = None
    authorities = getattr(slot.resolutions, "resolutions_per_authority", None) or []
    for authority in authorities:
        code = getattr(getattr(authority.status, "code", None), "value", None)
        if code == "ER_SUCCESS_MATCH" and authority.values:
            value_id = getattr(authority.values[0].value, "id", None)
            if isinstance(value_id, str):
                resolution_id = value_id
                break
    return resolution_id, spoken


class SkillHandler(AbstractRequestHandler):
    """A request handler built with the app's services; subclasses set `can_handle` and `handle`."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def slot_id(self, handler_input: HandlerInput, slot: str, slot_type: str) -> str | None:
        """A slot's value id, only if it is one of ours (resolution ids are client data too)."""
        resolution_id, spoken = raw_slot_value(handler_input, slot)
        return self.services.slots.resolve(
            locale_of(handler_input), slot_type, resolution_id, spoken
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
        speech = self.services.renderer.render(locale_of(handler_input), reply)
        builder = handler_input.response_builder.speak(speech.ssml)
        if not end and speech.reprompt is not None:
            builder.ask(speech.reprompt)
        builder.set_should_end_session(end or speech.reprompt is None)
        state = state_of(handler_input)
        state.offer = None if end else offer
        state.last = reply
        response: Response = builder.response
        return response

    def silent(self, handler_input: HandlerInput) -> Response:
        """An empty response: no speech, nothing else."""
        response: Response = handler_input.response_builder.response
        return response


class IntentHandler(SkillHandler):
    """A handler for the one intent named by the class attribute `intent`."""

    intent: ClassVar[str] = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_intent_name(self.intent)(handler_input))
