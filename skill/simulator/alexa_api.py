"""An offline stand-in of Alexa's Reminders API and of the device settings API (time zone).

A real HTTPS server on 127.0.0.1 (the SDK's DefaultApiClient refuses plain HTTP), with a
certificate from a throwaway root written beside it, so the skill's own service clients run
unchanged against it. Tests, `cramp-relief simulate` and `serve --dev` start one; the core app
never imports it.

Fidelity: paths, methods, bodies and status codes are those of Amazon's Reminders API reference
and of ask-sdk-model's reminder_management and ups clients (their declared responses per
operation). Where the reference gives no detail the stand-in says so rather than inventing it:

- error bodies are `{"code": ..., "message": ...}` as the SDK's Error models declare; for the
  settings API the code is one of the SDK's ups ErrorCode values, for the Reminders API (whose
  codes the SDK does not list) the HTTP reason in capitals; the skill reads neither;
- permission: a token unknown to the stand-in gets 401; a known token without the reminders
  grant gets 403 on POST (the SDK declares no 401 for create) and 401 elsewhere (the SDK's
  description of 401: "customer does not have permission");
- one user per access token, as a skill sees it.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from skill.simulator.alexa_api_app import stand_in_app
from skill.simulator.alexa_api_state import Call, StandInState
from skill.simulator.tls import LoopbackCertificate, loopback_certificate

__all__ = ["AlexaApiStandIn", "Call"]


class _QuietHandler(WSGIRequestHandler):
    """No access log line per call: the stand-in's own `calls` list records them."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


class AlexaApiStandIn(StandInState):
    """The stand-in server; use as a context manager, or call start() and stop()."""

    def __init__(self, *, default_time_zone: str | None = "America/New_York") -> None:
        super().__init__(default_time_zone=default_time_zone)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._cert: LoopbackCertificate | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> AlexaApiStandIn:
        self._folder = tempfile.TemporaryDirectory(prefix="cramp-relief-alexa-api-")
        self._cert = loopback_certificate(Path(self._folder.name))
        self._server = make_server(
            "127.0.0.1",
            0,
            stand_in_app(self),
            threaded=True,
            request_handler=_QuietHandler,
            ssl_context=self._cert.server_context(),
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="alexa-api-stand-in", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._folder is not None:
            self._folder.cleanup()
        self._server = self._thread = self._folder = None

    def __enter__(self) -> AlexaApiStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def endpoint(self) -> str:
        """What requests carry as context.System.apiEndpoint."""
        if self._server is None or self._cert is None:
            raise RuntimeError("the stand-in is not running")
        return f"https://{self._cert.host}:{self._server.server_port}"

    @property
    def ca_file(self) -> Path:
        """The PEM root the skill's API client must trust to reach the stand-in."""
        if self._cert is None:
            raise RuntimeError("the stand-in is not running")
        return self._cert.ca_file
