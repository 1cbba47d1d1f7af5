"""/healthz, /readyz and /metrics in process; log lines that cannot be forged; repeated errors
said once a minute."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from skill import create_app
from skill.envelopes import Conversation
from skill.logs import OneLineFormatter, RepeatFilter, escape, handler
from skill.storage import PersistenceError
from tests.helpers.alexa import AlexaClient


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    """Everything logged under `skill` during the test, as the `cramp-relief` command writes it."""
    stream = io.StringIO()
    out = handler(stream)
    logger = logging.getLogger("skill")
    logger.addHandler(out)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(out)
        logger.setLevel(previous)


def test_healthz_and_readyz(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    reply = client.get("/readyz")
    assert (reply.status_code, reply.get_json()) == (200, {"status": "ready", "backend": "sqlite"})


def test_readyz_is_503_with_a_reason_when_the_store_cannot_open(
    app_config: dict[str, Any], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = create_app({**app_config, "DATABASE": str(blocker / "db.sqlite3")})
    reply = app.test_client().get("/readyz")
    assert reply.status_code == 503
    assert reply.get_json()["status"] == "not ready"
    assert "persistence is off" in reply.get_json()["reason"]


def test_readyz_is_503_when_the_store_stops_answering(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skill.storage.sqlite import SQLiteStore

    def down(self: object) -> None:
        raise PersistenceError("cannot reach the database: disk I/O error")

    monkeypatch.setattr(SQLiteStore, "ping", down)
    reply = client.get("/readyz")
    assert reply.status_code == 503
    assert reply.get_json()["reason"] == (
        "persistence does not answer: cannot reach the database: disk I/O error"
    )
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'cramp_relief_persistence_errors_total{operation="ping"} 1.0' in metrics


def test_metrics_count_requests_reasons_and_certificates(
    client: FlaskClient, alexa: AlexaClient
) -> None:
    alexa.launch()
    alexa.launch()
    alexa.intent("CrampReliefIntent")
    client.post("/alexa", data=b"{}", headers={"Content-Type": "application/json"})
    text = client.get("/metrics").get_data(as_text=True)
    assert 'cramp_relief_requests_total{intent="-",status="200",type="LaunchRequest"} 2.0' in text
    assert (
        'cramp_relief_requests_total{intent="CrampReliefIntent",status="200",'
        'type="IntentRequest"} 1.0' in text
    )
    assert (
        'cramp_relief_bad_requests_total{reason="missing SignatureCertChainUrl header"} 1.0' in text
    )
    assert 'cramp_relief_certificate_lookups_total{outcome="ok"} 1.0' in text
    assert 'cramp_relief_certificate_lookups_total{outcome="cached"} 2.0' in text
    assert "cramp_relief_request_seconds_count 4.0" in text


def test_a_newline_in_an_intent_name_cannot_forge_a_log_line(
    alexa: AlexaClient, log_text: io.StringIO
) -> None:
    forged = "CrampReliefIntent\n2026-11-21 05:40:00,000 INFO skill.requests type=Forged"
    envelope = Conversation().intent("CrampReliefIntent")
    envelope["request"]["intent"]["name"] = forged
    assert alexa.post(envelope).status_code == 200
    lines = log_text.getvalue().splitlines()
    assert not any(line.startswith("2026-11-21") for line in lines)
    assert any("CrampReliefIntent\\x0a2026-11-21" in line for line in lines)


def test_a_newline_in_alexas_error_message_cannot_forge_a_log_line(
    alexa: AlexaClient, log_text: io.StringIO
) -> None:
    envelope = Conversation().launch()
    envelope["request"] = {
        **envelope["request"],
        "type": "System.ExceptionEncountered",
        "error": {"type": "INVALID_RESPONSE", "message": "bad\r\nERROR forged line\u2028x"},
        "cause": {"requestId": "amzn1.echo-api.request.1"},
    }
    assert alexa.post(envelope).status_code == 200
    text = log_text.getvalue()
    assert "bad\\x0d\\x0aERROR forged line\\u2028x" in text
    assert "\nERROR forged" not in text


def test_escape_leaves_ordinary_text_alone() -> None:
    assert escape("type=LaunchRequest intent=- status=200 ms=0.4") == (
        "type=LaunchRequest intent=- status=200 ms=0.4"
    )
    assert escape("a\\b\tc\x00\x7f\x85") == "a\\b\\x09c\\x00\\x7f\\x85"
    assert escape(escape("a\nb")) == "a\\x0ab"


def test_tracebacks_are_indented_under_their_line() -> None:
    formatter = OneLineFormatter("%(levelname)s %(message)s")
    try:
        raise ValueError("evil\nINFO forged")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, "f", 1, "failed", None, sys.exc_info())
    lines = formatter.format(record).splitlines()
    assert lines[0] == "ERROR failed"
    # The exception's own newline splits its message, but no line of it starts at the margin.
    assert all(line.startswith("    ") for line in lines[1:])
    assert lines[-1] == "    INFO forged"


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_repeated_errors_are_one_line_a_minute_with_a_count() -> None:
    ticks = Ticks()
    stream = io.StringIO()
    out = logging.StreamHandler(stream)
    out.addFilter(RepeatFilter(monotonic=ticks))
    logger = logging.getLogger("test.repeats")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(out)
    try:
        for _ in range(500):
            logger.error("could not read the saved place: %s", "database is locked")
            logger.info("ordinary line")
        ticks.now += 61
        logger.error("could not read the saved place: %s", "database is locked")
    finally:
        logger.removeHandler(out)
    lines = stream.getvalue().splitlines()
    errors = [line for line in lines if "saved place" in line]
    assert errors == [
        "could not read the saved place: database is locked",
        "could not read the saved place: database is locked (499 more like this since the "
        "last one)",
    ]
    assert lines.count("ordinary line") == 500


def test_launches_without_a_store_log_one_error_not_one_each(
    app_config: dict[str, Any], tmp_path: Path, dev_ca: Any, log_text: io.StringIO
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = create_app({**app_config, "DATABASE": str(blocker / "db.sqlite3")})
    alexa = AlexaClient(app.test_client(), dev_ca)
    for _ in range(50):
        alexa.launch()
    errors = [line for line in log_text.getvalue().splitlines() if " ERROR " in line]
    assert len(errors) <= 2, errors
