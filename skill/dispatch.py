"""The ask-sdk-core skill: handlers, interceptors and the exception handler, wired in one place."""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.handlers import REQUEST_HANDLERS, CatchAllExceptionHandler, Services
from skill.interceptors import SessionStateSaver, TurnInterceptor


def build_skill(
    services: Services, persistence: AbstractPersistenceAdapter | None = None
) -> CustomSkill:
    builder = CustomSkillBuilder(persistence_adapter=persistence)  # type: ignore[arg-type]
    for handler in REQUEST_HANDLERS:
        builder.add_request_handler(handler(services))
    builder.add_global_request_interceptor(TurnInterceptor(services))
    builder.add_global_response_interceptor(SessionStateSaver())
    builder.add_exception_handler(CatchAllExceptionHandler(services))
    skill: CustomSkill = builder.create()
    return skill
