"""The Alexa.Presentation.APL protocol: who has a screen, the RenderDocument directive, and the
touch events a document sends back."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Final

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.alexa.presentation.apl.render_document_directive import (
    RenderDocumentDirective,
)

from skill.apl.screens import Screen

USER_EVENT: Final = "Alexa.Presentation.APL.UserEvent"
RENDER_DOCUMENT: Final = "Alexa.Presentation.APL.RenderDocument"
# Every document the skill renders carries a token of this form, so an event can be told apart
# from one of another skill's documents (or a forged one).
TOKEN_PREFIX: Final = "cramp-relief."
# What the step screen's buttons send (SendEvent arguments), each handled as its spoken intent.
TOUCH_INTENTS: Final = MappingProxyType(
    {
        "back": "AMAZON.PreviousIntent",
        "next": "AMAZON.NextIntent",
        "stop": "AMAZON.StopIntent",
    }
)


def has_screen(handler_input: HandlerInput) -> bool:
    """Whether the device said it renders APL (context.System.device.supportedInterfaces)."""
    context = handler_input.request_envelope.context
    device = getattr(getattr(context, "system", None), "device", None)
    interfaces = getattr(device, "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def render_document(screen: Screen) -> RenderDocumentDirective:
    """The directive that shows `screen`, its token naming the document."""
    return RenderDocumentDirective(
        token=f"{TOKEN_PREFIX}{screen.name}",
        document=screen.document,
        datasources=screen.datasources,
    )


def touched_intent(handler_input: HandlerInput) -> str | None:
    """The intent a UserEvent from one of our documents stands for; None for anything else
    (another token, other arguments: client input, checked like any other)."""
    request: Any = handler_input.request_envelope.request
    if getattr(request, "object_type", None) != USER_EVENT:
        return None
    token = getattr(request, "token", None)
    arguments = getattr(request, "arguments", None)
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
        return None
    if not isinstance(arguments, list) or len(arguments) != 1:
        return None
    argument = arguments[0]
    return TOUCH_INTENTS.get(argument) if isinstance(argument, str) else None
