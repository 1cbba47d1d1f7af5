"""One turn of a simulated conversation: what was said, what was sent, what Alexa says back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skill.simulator.resolver import Resolution


@dataclass(frozen=True, kw_only=True)
class Exchange:
    """One signed request sent to the skill, and what came of it.

    `response` is the reply envelope, or None when none came back that Alexa could use; `error`
    then says why. `status` is the HTTP status, None when the skill could not be reached.
    Fields by name only: `Exchange(envelope, None, None, why)` would not say which None is which.
    """

    request: dict[str, Any]
    status: int | None
    response: dict[str, Any] | None
    error: str | None = None


@dataclass(frozen=True, kw_only=True)
class Turn:
    """One thing said and what came of it.

    `request` is the envelope sent to the skill and `response` the skill's reply; either is None
    when nothing was sent (Alexa answered by herself) or nothing usable came back. `speech` and
    `reprompt` are what Alexa says, without SSML. `error` says why a reply was unusable.
    Build one with `unsent` or `sent` (fields by name only: eleven in a row are unreadable).
    """

    said: str
    resolution: Resolution
    request: dict[str, Any] | None
    response: dict[str, Any] | None
    speech: str
    reprompt: str | None
    session_open: bool
    intent: str | None
    status: int | None = None
    note: str | None = None
    error: str | None = None

    @classmethod
    def unsent(
        cls, said: str, resolution: Resolution, *, session_open: bool, note: str, speech: str = ""
    ) -> Turn:
        """Alexa answered by herself (`speech`, also her reprompt) and sent the skill nothing."""
        return cls(
            said=said,
            resolution=resolution,
            request=None,
            response=None,
            speech=speech,
            reprompt=speech or None,
            session_open=session_open,
            intent=None,
            status=None,
            note=note,
        )

    @classmethod
    def sent(
        cls,
        said: str,
        resolution: Resolution,
        exchange: Exchange,
        *,
        session_open: bool,
        note: str | None,
        speech: str = "",
        reprompt: str | None = None,
    ) -> Turn:
        """A request went to the skill; `speech` and `reprompt` are what Alexa then said."""
        return cls(
            said=said,
            resolution=resolution,
            request=exchange.request,
            response=exchange.response,
            speech=speech,
            reprompt=reprompt,
            session_open=session_open,
            intent=resolution.intent,
            status=exchange.status,
            note=note,
            error=exchange.error,
        )

    @property
    def request_type(self) -> str | None:
        """ "LaunchRequest", "IntentRequest", "SessionEndedRequest", or None if nothing was sent."""
        if self.request is None:
            return None
        kind: str = self.request["request"]["type"]
        return kind

    def to_json(self) -> dict[str, Any]:
        return {
            "said": self.said,
            "resolution": self.resolution.to_json(),
            "requestType": self.request_type,
            "intent": self.intent,
            "request": self.request,
            "response": self.response,
            "speech": self.speech,
            "reprompt": self.reprompt,
            "sessionOpen": self.session_open,
            "status": self.status,
            "note": self.note,
            "error": self.error,
        }
