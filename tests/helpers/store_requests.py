"""The envelope the persistence contract hands a store: one user's request, by request id."""

from __future__ import annotations

from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.launch_request import LaunchRequest
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.user import User


def envelope(user_id: str, request_id: str = "r") -> RequestEnvelope:
    return RequestEnvelope(
        context=Context(system=SystemState(user=User(user_id=user_id))),
        request=LaunchRequest(request_id=request_id),
    )
