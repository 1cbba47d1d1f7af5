"""Cross-cutting work before and after every handler: locale and validated session state."""

from __future__ import annotations

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.handlers.base import LOCALE_KEY, STATE_KEY, Services
from skill.locales import supported_locale
from skill.model import available_locales
from skill.state import SessionState, Vocabulary, load_state


class LocaleInterceptor(AbstractRequestInterceptor):
    """Chooses the locale to answer in: the request's if we have it, else a fallback."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input: HandlerInput) -> None:
        requested = getattr(handler_input.request_envelope.request, "locale", None)
        handler_input.attributes_manager.request_attributes[LOCALE_KEY] = supported_locale(
            requested, available_locales(), self.services.renderer.default_locale
        )


class SessionStateInterceptor(AbstractRequestInterceptor):
    """Loads session attributes through validation; handlers only ever see the checked state."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager.request_attributes
        renderer = self.services.renderer
        locale = str(attributes[LOCALE_KEY])
        content = renderer.content(locale)
        vocabulary = Vocabulary(
            tips=frozenset(content["tips"]["order"]),
            templates=renderer.template_names(locale),
            routine_lengths={
                name: len(routine["steps"]) for name, routine in content.get("routines", {}).items()
            },
        )
        session = handler_input.request_envelope.session
        raw = getattr(session, "attributes", None) if session is not None else None
        attributes[STATE_KEY] = load_state(raw, vocabulary)


class SessionStateSaver(AbstractResponseInterceptor):
    """Writes the (validated, possibly updated) state back as the session attributes."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        state = handler_input.attributes_manager.request_attributes.get(STATE_KEY)
        if isinstance(state, SessionState) and handler_input.request_envelope.session is not None:
            handler_input.attributes_manager.session_attributes = state.to_attributes()
