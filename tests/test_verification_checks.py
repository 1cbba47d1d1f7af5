"""The request's own checks: its timestamp, its application id, and the trusted roots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import certifi
import pytest

from skill.devtools.devca import DevCA
from skill.verification import (
    RequestVerifier,
    VerificationError,
    check_application_id,
    check_timestamp,
    load_trusted_roots,
)
from tests.helpers.verification import (
    BODY,
    SKILL_ID,
    verify,
)

# --- timestamp --------------------------------------------------------------------------------

NOW = datetime(2026, 11, 21, 5, 40, 0, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("offset", [0, 149, -149, 150, -150])
def test_timestamp_within_window_passes(offset: int) -> None:
    check_timestamp(_iso(NOW + timedelta(seconds=offset)), "IntentRequest", NOW)


@pytest.mark.parametrize("offset", [151, -151, 3000, -86400])
def test_timestamp_outside_window_is_rejected(offset: int) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        check_timestamp(_iso(NOW + timedelta(seconds=offset)), "IntentRequest", NOW)


@pytest.mark.parametrize(
    "timestamp",
    ["2026-11-21T05:40:00+00:00", "2026-11-21T05:40:00.123Z", "2026-11-21T06:40:00.5+01:00"],
)
def test_timestamp_formats_accepted(timestamp: str) -> None:
    check_timestamp(timestamp, "LaunchRequest", NOW)


@pytest.mark.parametrize(
    "timestamp",
    [
        None,
        1763703600,
        "",
        "yesterday",
        "2026-11-21T05:40:00",
        "2026-13-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00",
    ],
)
def test_unparsable_timestamp_is_rejected(timestamp: object) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        check_timestamp(timestamp, "IntentRequest", NOW)


@pytest.mark.parametrize("offset", [3000, -3000, 3600])
def test_skill_event_window_is_an_hour(offset: int) -> None:
    check_timestamp(_iso(NOW + timedelta(seconds=offset)), "AlexaSkillEvent.SkillEnabled", NOW)


@pytest.mark.parametrize("offset", [3700, -3700])
def test_skill_event_beyond_an_hour_is_rejected(offset: int) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        check_timestamp(_iso(NOW + timedelta(seconds=offset)), "AlexaSkillEvent.SkillEnabled", NOW)


@pytest.mark.parametrize("request_type", [None, 42, "AlexaSkillEvent", "SessionEndedRequest"])
def test_non_skill_events_get_the_short_window(request_type: object) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        check_timestamp(_iso(NOW + timedelta(seconds=3000)), request_type, NOW)


# --- application id ---------------------------------------------------------------------------


def _envelope(context_id: object = None, session_id: object = None) -> dict[str, object]:
    envelope: dict[str, object] = {"version": "1.0", "request": {"type": "IntentRequest"}}
    if context_id is not None:
        envelope["context"] = {"System": {"application": {"applicationId": context_id}}}
    if session_id is not None:
        envelope["session"] = {"application": {"applicationId": session_id}}
    return envelope


@pytest.mark.parametrize(
    "envelope",
    [_envelope(SKILL_ID), _envelope(session_id=SKILL_ID), _envelope(SKILL_ID, "other")],
    ids=["context", "session fallback", "context wins"],
)
def test_matching_application_id_passes(envelope: dict[str, object]) -> None:
    check_application_id(envelope, SKILL_ID)


@pytest.mark.parametrize(
    "envelope",
    [
        _envelope("amzn1.ask.skill.other"),
        _envelope(session_id="amzn1.ask.skill.other"),
        _envelope("amzn1.ask.skill.other", SKILL_ID),
        _envelope(),
        _envelope(42),
        {"context": "not a mapping", "session": ["nor", "this"]},
    ],
    ids=["context", "session", "context wrong session right", "missing", "not str", "junk"],
)
def test_wrong_application_id_is_rejected(envelope: dict[str, object]) -> None:
    with pytest.raises(VerificationError, match=r"^application id does not match$"):
        check_application_id(envelope, SKILL_ID)


def test_empty_skill_id_never_matches() -> None:
    with pytest.raises(VerificationError):
        check_application_id(_envelope(""), "")


# --- trusted roots ----------------------------------------------------------------------------


def test_load_trusted_roots_defaults_to_certifi(tmp_path: Path, ca: DevCA) -> None:
    assert load_trusted_roots(None) == Path(certifi.where()).read_bytes()
    path = tmp_path / "roots.pem"
    path.write_bytes(ca.root_pem)
    assert load_trusted_roots(str(path)) == ca.root_pem


def test_certifi_roots_build_a_verifier_that_rejects_the_dev_ca(ca: DevCA) -> None:
    verifier = RequestVerifier(load_trusted_roots(None), cert_loader=ca.loader)
    with pytest.raises(VerificationError, match="certificate chain not trusted"):
        verify(verifier, ca.sign(BODY))


@pytest.mark.parametrize("roots", [b"", b"garbage"])
def test_verifier_needs_at_least_one_root(roots: bytes) -> None:
    with pytest.raises(ValueError, match="root"):
        RequestVerifier(roots)
