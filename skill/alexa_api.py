"""Alexa's service APIs for one request: the Reminders API and the device's time zone.

Calls go through ask-sdk's own service clients (ServiceClientFactory over DefaultApiClient) with
the request's apiEndpoint and apiAccessToken, with two guards the SDK leaves to the skill:

- a time limit per call (connect plus read, at most 2 s) and per request (TURN_BUDGET over all
  its calls), so a slow API still leaves time to speak within Alexa's 8 s; `requests` bounds
  each socket wait, so a server that trickles bytes could stretch one read;
- the apiEndpoint must be one of Alexa's (or one configured for development): it comes inside
  the request, and the access token must never be sent anywhere else.

Every failure becomes one :class:`AlexaApiError` with a kind the conversation can speak about;
nothing here raises anything else.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, Final

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.services.api_client import ApiClient
from ask_sdk_model.services.api_configuration import ApiConfiguration
from ask_sdk_model.services.reminder_management.reminder_request import ReminderRequest
from ask_sdk_model.services.service_client_factory import ServiceClientFactory
from ask_sdk_model.services.service_exception import ServiceException

log = logging.getLogger(__name__)

REMINDERS_SCOPE: Final = "alexa::alerts:reminders:skill:readwrite"
# The three regional hosts of Alexa's APIs (Reminders API reference, "API endpoint").
AMAZON_ENDPOINTS: Final = (
    "https://api.amazonalexa.com",
    "https://api.eu.amazonalexa.com",
    "https://api.fe.amazonalexa.com",
)
MAX_TIMEOUT: Final = 2.0
# All the calls of one request together (a reminder set takes two: the time zone, then POST).
TURN_BUDGET: Final = 4.0
_MIN_CALL: Final = 0.05
_CONNECT_SHARE: Final = 0.25
_GET_REMINDER: Final = (
    "ask_sdk_model.services.reminder_management.get_reminder_response.GetReminderResponse"
)


class Failure(StrEnum):
    """What went wrong, in the terms the conversation answers in."""

    NOT_FOUND = "not_found"  # 404: the reminder is gone (deleted in the Alexa app)
    NOT_PERMITTED = "not_permitted"  # 401 / 403: no (or withdrawn) reminders permission
    REJECTED = "rejected"  # another 4xx: our request was refused as it stands
    UNAVAILABLE = "unavailable"  # 429, 5xx, a timeout, no connection, an unreadable answer


class AlexaApiError(Exception):
    def __init__(self, failure: Failure, status: int | None, detail: str) -> None:
        super().__init__(f"{failure.value} (HTTP {status}): {detail}")
        self.failure = failure
        self.status = status


def failure_of(status: int | None) -> Failure:
    if status == 404:
        return Failure.NOT_FOUND
    if status in (401, 403):
        return Failure.NOT_PERMITTED
    if status is not None and 400 <= status < 500 and status != 429:
        return Failure.REJECTED
    return Failure.UNAVAILABLE


def bounded_client(timeout: float, budget: float, verify: str | bool = True) -> ApiClient:
    """The SDK's HTTPS client for one request: each call within `timeout` and all of them within
    `budget` seconds, against a chosen trust store. Past the budget a call is not made (the SDK
    reports that as a failed call, HTTP 500)."""
    client: ApiClient = _bounded_client_class()(timeout, budget, verify)
    return client


@cache
def _bounded_client_class() -> type[Any]:
    # Imported at the first call, not with this module: DefaultApiClient imports `requests`,
    # and gunicorn's master imports the app's modules before forking gevent workers, which
    # then patch ssl; a urllib3 already loaded by then recurses forever on its first HTTPS call.
    from ask_sdk_core.api_client import DefaultApiClient

    class BoundedApiClient(DefaultApiClient):
        def __init__(self, timeout: float, budget: float, verify: str | bool) -> None:
            self.timeout = timeout
            self.deadline = time.monotonic() + budget
            self.verify = verify

        def _resolve_method(self, request: Any) -> Callable[..., Any]:
            method = super()._resolve_method(request)
            limit = min(self.timeout, self.deadline - time.monotonic())
            if limit < _MIN_CALL:
                raise TimeoutError("no time left for another call in this request")
            return functools.partial(
                method,
                timeout=(limit * _CONNECT_SHARE, limit * (1 - _CONNECT_SHARE)),
                verify=self.verify,
                allow_redirects=False,
            )

    return BoundedApiClient


class _Serializer(DefaultSerializer):
    """The SDK's serializer, minus one bug: ask-sdk-model's AlertInfo names a module that does
    not exist (`alert_info_spoken_info`), so any GET of a reminder fails to deserialize (see
    alexa/alexa-cookbook#295). The skill never reads alertInfo back, so it is dropped first."""

    def deserialize(self, payload: str | None, obj_type: Any) -> Any:
        if obj_type == _GET_REMINDER and payload:
            try:
                data = json.loads(payload)
            except ValueError as err:
                raise SerializationException(f"unreadable reminder: {err}") from None
            if isinstance(data, dict):
                data.pop("alertInfo", None)
                payload = json.dumps(data)
        return super().deserialize(payload, obj_type)


@dataclass(frozen=True)
class AlexaApi:
    """The calls one request may make, with its own endpoint and token."""

    factory: ServiceClientFactory
    device_id: str | None

    def create_reminder(self, body: ReminderRequest) -> str:
        """POST a reminder; its alertToken."""
        response = self._call("create", lambda: self._reminders().create_reminder(body))
        token = getattr(response, "alert_token", None)
        if not isinstance(token, str) or not token:
            raise AlexaApiError(Failure.UNAVAILABLE, 200, "no alertToken in the answer")
        return token

    def update_reminder(self, alert_token: str, body: ReminderRequest) -> None:
        self._call("update", lambda: self._reminders().update_reminder(alert_token, body))

    def delete_reminder(self, alert_token: str) -> None:
        self._call("delete", lambda: self._reminders().delete_reminder(alert_token))

    def reminder_is_on(self, alert_token: str) -> bool:
        """True if the reminder exists and is ON (GET); a 404 raises NOT_FOUND."""
        response = self._call("get", lambda: self._reminders().get_reminder(alert_token))
        status = getattr(getattr(response, "status", None), "value", None)
        return status in (None, "ON")

    def time_zone(self) -> str | None:
        """The device's time zone setting (an IANA name, unchecked), or None if it has none."""
        if self.device_id is None:
            return None
        device_id = self.device_id
        zone = self._call(
            "time zone", lambda: self.factory.get_ups_service().get_system_time_zone(device_id)
        )
        return zone if isinstance(zone, str) and zone else None

    def _reminders(self) -> Any:
        return self.factory.get_reminder_management_service()

    def _call(self, what: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except ServiceException as err:
            status = err.status_code if isinstance(err.status_code, int) else None
            raise AlexaApiError(failure_of(status), status, f"{what}: {err}") from None
        except (SerializationException, ValueError) as err:
            # An answer we cannot read, or a client the factory could not build.
            raise AlexaApiError(Failure.UNAVAILABLE, None, f"{what}: {err}") from None


class AlexaApiAccess:
    """Builds an AlexaApi for a request, or refuses: built once per app from its settings."""

    def __init__(
        self,
        endpoints: Collection[str] = AMAZON_ENDPOINTS,
        *,
        timeout: float = MAX_TIMEOUT,
        ca_file: str | None = None,
    ) -> None:
        self.endpoints = frozenset(e.rstrip("/") for e in endpoints)
        self.timeout = max(0.1, min(float(timeout), MAX_TIMEOUT))
        self.verify: str | bool = ca_file if ca_file else True
        self.serializer = _Serializer()

    def for_request(self, envelope: RequestEnvelope) -> AlexaApi | None:
        """The API for this request, or None if it carries no usable endpoint and token."""
        system = getattr(envelope.context, "system", None)
        endpoint = getattr(system, "api_endpoint", None)
        token = getattr(system, "api_access_token", None)
        if not isinstance(endpoint, str) or not isinstance(token, str) or not token:
            return None
        if endpoint.rstrip("/") not in self.endpoints:
            log.warning("ignoring an apiEndpoint that is not Alexa's: %.80r", endpoint)
            return None
        device_id = getattr(getattr(system, "device", None), "device_id", None)
        configuration = ApiConfiguration(
            serializer=self.serializer,
            api_client=bounded_client(self.timeout, TURN_BUDGET, self.verify),
            authorization_value=token,
            api_endpoint=endpoint.rstrip("/"),
        )
        return AlexaApi(
            ServiceClientFactory(configuration),
            device_id if isinstance(device_id, str) and device_id else None,
        )


def reminders_granted(envelope: RequestEnvelope) -> bool:
    """True if the request says the user granted the reminders scope (context.System.user)."""
    user = getattr(getattr(envelope.context, "system", None), "user", None)
    scopes = getattr(getattr(user, "permissions", None), "scopes", None)
    scope = scopes.get(REMINDERS_SCOPE) if isinstance(scopes, dict) else None
    status = getattr(getattr(scope, "status", None), "value", None)
    return status == "GRANTED"
