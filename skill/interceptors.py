"""Cross-cutting work before and after every handler: the turn, and saving its session state."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.conversation.reminder_store import ReminderStore
from skill.conversation.resume import SavedPlaces
from skill.conversation.services import Services
from skill.conversation.state import Vocabulary, load_state
from skill.conversation.turn import Turn, find_turn, put_turn
from skill.locales import available_locales, supported_locale


class TurnInterceptor(AbstractRequestInterceptor):
    """Builds the turn: the locale to answer in (the request's if we have it, else a fallback)
    and the session attributes through validation, so handlers only ever see checked state."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.default_locale = services.content.default_locale
        # The shipped models and content do not change while the process runs: list the locales
        # and build their vocabularies once (listing templates scans directories).
        self.locales = frozenset(available_locales())
        self.vocabularies: Mapping[str, Vocabulary] = MappingProxyType(
            {
                locale: Vocabulary.of(
                    services.content.content(locale), services.renderer.template_names(locale)
                )
                for locale in {*self.locales, self.default_locale}
            }
        )

    def process(self, handler_input: HandlerInput) -> None:
        requested = getattr(handler_input.request_envelope.request, "locale", None)
        locale = supported_locale(requested, self.locales, self.default_locale)
        session = handler_input.request_envelope.session
        raw = getattr(session, "attributes", None) if session is not None else None
        vocabulary = self.vocabularies[locale]
        put_turn(
            handler_input,
            Turn(
                locale=locale,
                state=load_state(raw, vocabulary),
                content=self.services.content.content(locale),
                vocabulary=vocabulary,
                places=SavedPlaces(handler_input.attributes_manager, self.services.clock),
                reminder=ReminderStore(handler_input.attributes_manager),
                request=handler_input.request_envelope,
            ),
        )


class SessionStateSaver(AbstractResponseInterceptor):
    """Writes the turn's (validated, possibly updated) state back as the session attributes."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = find_turn(handler_input)
        if turn is not None and handler_input.request_envelope.session is not None:
            handler_input.attributes_manager.session_attributes = turn.state.to_attributes()
