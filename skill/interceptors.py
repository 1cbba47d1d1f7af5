"""Cross-cutting work before and after every handler: locale and validated session state."""

from __future__ import annotations

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.handlers.base import LOCALE_KEY, STATE_KEY, VOCABULARY_KEY, Services
from skill.locales import supported_locale
from skill.model import available_locales
from skill.state import SessionState, Vocabulary, load_state


class LocaleInterceptor(AbstractRequestInterceptor):
    """Chooses the locale to answer in: the request's if we have it, else a fallback."""

    def __init__(self, services: Services) -> None:
        self.services = services
        # The shipped models do not change while the process runs: list them once, not on every
        # request (the listing is a directory scan).
        self.locales = frozenset(available_locales())

    def process(self, handler_input: HandlerInput) -> None:
        requested = getattr(handler_input.request_envelope.request, "locale", None)
        handler_input.attributes_manager.request_attributes[LOCALE_KEY] = supported_locale(
            requested, self.locales, self.services.renderer.default_locale
        )


class SessionStateInterceptor(AbstractRequestInterceptor):
    """Loads session attributes through validation; handlers only ever see the checked state."""

    def __init__(self, services: Services) -> None:
        self.services = services
        # Per supported locale; content and templates are fixed for the life of the process, and
        # listing the templates scans directories, too slow to repeat on every request.
        self._vocabularies: dict[str, Vocabulary] = {}

    def vocabulary(self, locale: str) -> Vocabulary:
        cached = self._vocabularies.get(locale)
        if cached is None:
            renderer = self.services.renderer
            content = renderer.content(locale)
            built = Vocabulary(
                tips=frozenset(content["tips"]["order"]),
                templates=renderer.template_names(locale),
                routine_lengths={
                    name: len(routine["steps"])
                    for name, routine in content.get("routines", {}).items()
                },
            )
            cached = self._vocabularies.setdefault(locale, built)
        return cached

    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager.request_attributes
        vocabulary = self.vocabulary(str(attributes[LOCALE_KEY]))
        attributes[VOCABULARY_KEY] = vocabulary
        session = handler_input.request_envelope.session
        raw = getattr(session, "attributes", None) if session is not None else None
        attributes[STATE_KEY] = load_state(raw, vocabulary)


class SessionStateSaver(AbstractResponseInterceptor):
    """Writes the (validated, possibly updated) state back as the session attributes."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        state = handler_input.attributes_manager.request_attributes.get(STATE_KEY)
        if isinstance(state, SessionState) and handler_input.request_envelope.session is not None:
            handler_input.attributes_manager.session_attributes = state.to_attributes()
