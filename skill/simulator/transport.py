"""How a signed request reaches the skill: the app in this process, or a server over HTTP."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Protocol

from flask import Flask

DEFAULT_TIMEOUT_SECONDS = 10.0


class TransportError(Exception):
    """The skill could not be reached at all (connection refused, timeout, bad URL)."""


class Transport(Protocol):
    """Posts one request body; returns the HTTP status and the response body."""

    def post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]: ...


class AppTransport:
    """The Flask app itself, through its test client: the real endpoint, no socket."""

    def __init__(self, app: Flask, path: str = "/alexa") -> None:
        self.app = app
        self.path = path

    def post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        reply = self.app.test_client().post(self.path, data=body, headers=dict(headers))
        return reply.status_code, reply.get_data()

    def __str__(self) -> str:
        return "in-process"


class HttpTransport:
    """A running server, e.g. `cramp-relief serve --dev` at http://127.0.0.1:8080/alexa."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        self.timeout = timeout

    def post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url, data=body, headers=dict(headers), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            # A 4xx from the skill (a refused signature, say) is an answer, not a failure to reach.
            with error:
                return error.code, error.read()
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise TransportError(f"could not reach {self.url}: {reason}") from error

    def __str__(self) -> str:
        return self.url
