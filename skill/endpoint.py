"""POST /alexa: verify, parse, dispatch, answer; bad input gets HTTP 400."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model.request_envelope import RequestEnvelope
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import ClientDisconnected

from skill import codec
from skill.logs import escape
from skill.metrics import Metrics
from skill.storage import ReplayGuard, Store
from skill.storage.replay import MAX_REQUEST_ID
from skill.verification import (
    RequestVerifier,
    VerificationError,
    check_application_id,
    check_timestamp,
    timestamp_window,
)

log = logging.getLogger("skill.requests")
blueprint = Blueprint("alexa", __name__)

# Request types the skill dispatches; any other type is answered with an empty response unread.
DISPATCHED = frozenset(
    {
        "LaunchRequest",
        "IntentRequest",
        "SessionEndedRequest",
        "CanFulfillIntentRequest",
        "System.ExceptionEncountered",
        # A touch on a screen (skill.handlers.touch).
        "Alexa.Presentation.APL.UserEvent",
        # The answer to asking for the reminders permission by voice (AskFor).
        "Connections.Response",
    }
)
_INTENT_TYPES = frozenset({"IntentRequest", "CanFulfillIntentRequest"})
# The skill's own session attributes are a few levels deep. Deeper ones (which only a tampered
# client sends) are dropped before the SDK deep-copies them, which fails past a few hundred
# levels: a fresh start, as for any attribute that fails validation (skill.state).
MAX_ATTRIBUTE_DEPTH = 16
_MAX_LOGGED_CHARS = 100


@dataclass(frozen=True)
class SkillRuntime:
    """Everything the endpoint needs, built once per app by create_app."""

    skill: CustomSkill
    verifier: RequestVerifier | None
    clock: Callable[[], datetime]
    skill_id: str | None
    max_body_bytes: int
    metrics: Metrics
    # The persistence store (None when it could not be set up); the skill and /readyz use it
    # through metrics.CountedPersistence, the replay guard directly.
    store: Store | None = None
    # Refuses request ids already answered; None with verification off.
    replays: ReplayGuard | None = None


class BadRequest(Exception):
    """Input we refuse with HTTP 400; the message is the reason given to the caller."""


def _runtime() -> SkillRuntime:
    runtime: SkillRuntime = current_app.extensions["cramp_relief"]
    return runtime


def _read_body(limit: int) -> bytes:
    if request.mimetype != "application/json":
        raise BadRequest("content type must be application/json")
    if request.content_length is not None and request.content_length > limit:
        raise BadRequest(f"body larger than {limit} bytes")
    # Read to the end of the body, or one byte past the limit (without a Content-Length, when
    # chunked) and no more. A read returns what has arrived so far, hence the loop.
    body = bytearray()
    try:
        while len(body) <= limit:
            chunk = request.stream.read(limit + 1 - len(body))
            if not chunk:
                break
            body += chunk
    except ClientDisconnected:
        # Fewer bytes than Content-Length, then the end (or a read error): never a 5xx.
        raise BadRequest("request body ended before its Content-Length") from None
    if len(body) > limit:
        raise BadRequest(f"body larger than {limit} bytes")
    if request.content_length is not None and len(body) < request.content_length:
        # gunicorn hands over its own stream, which simply ends where the client stopped.
        raise BadRequest("request body ended before its Content-Length")
    return bytes(body)


def _parse(body: bytes) -> Mapping[str, Any]:
    try:
        envelope = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise BadRequest("body is not valid JSON") from err
    if not isinstance(envelope, dict):
        raise BadRequest("body is not a JSON object")
    inner = envelope.get("request")
    if not isinstance(inner, dict) or not isinstance(inner.get("type"), str):
        raise BadRequest("request.type is missing")
    if inner["type"] in _INTENT_TYPES:
        intent = inner.get("intent")
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
            raise BadRequest("request.intent.name is missing")
    session = envelope.get("session")
    if isinstance(session, dict) and _deeper_than(session.get("attributes"), MAX_ATTRIBUTE_DEPTH):
        session["attributes"] = {}
    return envelope


def _deeper_than(value: object, limit: int) -> bool:
    """Whether JSON `value` nests lists or objects more than `limit` levels (walked level by
    level, without recursion, so any depth json.loads accepted is safe to check)."""
    level: list[Any] = [value]
    for depth in range(limit + 1):
        containers = [item for item in level if isinstance(item, dict | list)]
        if not containers:
            return False
        if depth == limit:
            return True
        level = [
            child
            for item in containers
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return False


def _check(runtime: SkillRuntime, body: bytes) -> Mapping[str, Any]:
    """Verify, then parse: the signature is checked over the raw bytes before the JSON is trusted.

    When the check would first fetch a certificate, the request's timestamp and skill id are read
    (unverified) and checked before the fetch: the fetches a minute are capped, and a flood of
    requests that could never be genuine must not spend them, as it could after a restart, when no
    certificate is cached yet, and lock Alexa's own requests out for that minute.
    """
    envelope: Mapping[str, Any] | None = None
    verifier = runtime.verifier
    if verifier is not None:
        cert_url = request.headers.get("SignatureCertChainUrl")
        if verifier.would_fetch(cert_url):
            envelope = _parse(body)
            _check_claims(runtime, envelope)
        verifier.verify_signature(cert_url, request.headers.get("Signature-256"), body)
    if envelope is None:
        envelope = _parse(body)
        _check_claims(runtime, envelope)
    if runtime.replays is not None:
        _refuse_replay(runtime.replays, envelope["request"], runtime.clock())
    return envelope


def _check_claims(runtime: SkillRuntime, envelope: Mapping[str, Any]) -> None:
    """VerificationError unless the request is stamped about now and addressed to this skill."""
    inner = envelope["request"]
    if runtime.verifier is not None:
        check_timestamp(inner.get("timestamp"), inner["type"], runtime.clock())
    if runtime.skill_id:
        check_application_id(envelope, runtime.skill_id)


def _refuse_replay(replays: ReplayGuard, inner: Mapping[str, Any], now: datetime) -> None:
    """BadRequest for a request id answered before (last, once the request is otherwise good)."""
    request_id = inner.get("requestId")
    if not isinstance(request_id, str) or not 0 < len(request_id) <= MAX_REQUEST_ID:
        raise BadRequest("request.requestId is missing or too long")
    if not _is_unicode_text(request_id):
        # A lone surrogate ("\\ud800" in the JSON): no store can encode one; Alexa never sends it.
        raise BadRequest("request.requestId is not valid Unicode text")
    if replays.seen_before(request_id, now, timestamp_window(inner["type"])):
        raise BadRequest("request already answered (a replay)")


def _is_unicode_text(value: str) -> bool:
    """Whether `value` encodes as UTF-8, i.e. holds no lone surrogate."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _dispatch(runtime: SkillRuntime, envelope: Mapping[str, Any]) -> dict[str, Any]:
    # skill.codec maps exactly as the SDK's serializer does, at a fraction of its cost.
    try:
        request_envelope = codec.from_json(envelope, RequestEnvelope)
    except Exception as err:  # assorted errors for shapes that do not map onto the model
        raise BadRequest("request does not match the Alexa request format") from err
    response_envelope = runtime.skill.invoke(request_envelope=request_envelope, context=None)
    serialized = codec.to_json(response_envelope)
    if not isinstance(serialized, dict):
        raise TypeError("the SDK serialised a response envelope to a non-object")
    return serialized


def _intent_name(envelope: Mapping[str, Any] | None) -> str:
    inner = envelope.get("request") if envelope else None
    intent = inner.get("intent") if isinstance(inner, dict) else None
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else "-"


@blueprint.post("/alexa")
def alexa() -> tuple[Response, int]:
    started = time.perf_counter()
    runtime = _runtime()
    envelope: Mapping[str, Any] | None = None
    request_type = "-"
    try:
        envelope = _check(runtime, _read_body(runtime.max_body_bytes))
        request_type = envelope["request"]["type"]
        if request_type in DISPATCHED:
            status, payload = 200, _dispatch(runtime, envelope)
        else:
            status, payload = 200, empty_response()
        reason = ""
    except (BadRequest, VerificationError) as err:
        status, reason = 400, str(err)
        payload = {"error": "bad request", "reason": reason}
    except Exception:
        # Never a 5xx to Alexa: an empty, ended response, with the traceback in our log.
        log.exception("unexpected failure answering a %s", request_type)
        status, payload, reason = (
            200,
            empty_response(shouldEndSession=True),
            "",
        )
    elapsed = time.perf_counter() - started
    intent = _intent_name(envelope)
    runtime.metrics.request(request_type, intent, status, elapsed)
    if reason:
        runtime.metrics.bad_request(reason)
    # Type and intent come from the request: escaped, so a newline in one cannot forge a line.
    log.info(
        "type=%s intent=%s status=%d ms=%.1f%s",
        escape(request_type[:_MAX_LOGGED_CHARS]),
        escape(intent[:_MAX_LOGGED_CHARS]),
        status,
        elapsed * 1000,
        f" reason={reason!r}" if reason else "",
    )
    return _json_response(payload), status


def empty_response(**response: Any) -> dict[str, Any]:
    """A response envelope that says nothing; a new one each time, as json.dumps needs a dict."""
    return {"version": "1.0", "response": response}


def _json_response(payload: Mapping[str, Any]) -> Response:
    """`payload` as compact JSON. The payload is plain data already (skill.codec wrote it), so
    Flask's jsonify, which sorts every key and offers a fallback for other types, is not needed:
    it took a twentieth of the server's time per request."""
    body = json.dumps(payload, separators=(",", ":"))
    response: Response = current_app.response_class(body, mimetype="application/json")
    return response
