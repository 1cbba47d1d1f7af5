"""Guided stretches (issue 3 fills this in): start, continue."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.handlers.base import SkillHandler


def start_routine(handler: SkillHandler, handler_input: HandlerInput, routine: str | None) -> Response:
    raise NotImplementedError


def continue_saved(handler: SkillHandler, handler_input: HandlerInput) -> Response:
    raise NotImplementedError
