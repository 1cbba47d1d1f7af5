"""DATABASE read as a path or URL, and the replay guard's cache in front of the store."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.storage import PersistenceError, ReplayGuard, open_store, sqlite_path
from skill.storage.dynamodb import DynamoDBStore
from skill.storage.postgres import PostgresStore
from skill.storage.sqlite import SQLiteStore
from tests.helpers.alexa import AlexaClient


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("/var/lib/cramp/db.sqlite3", "/var/lib/cramp/db.sqlite3"),
        ("relative.sqlite3", "relative.sqlite3"),
        ("sqlite:///relative.sqlite3", "relative.sqlite3"),
        ("sqlite:////var/lib/cramp/db.sqlite3", "/var/lib/cramp/db.sqlite3"),
        ("SQLite:////abs.db", "/abs.db"),
        ("postgresql://u@h/db", None),
        ("dynamodb://t?region=x", None),
    ],
)
def test_sqlite_paths(setting: str, expected: str | None) -> None:
    got = sqlite_path(setting, "/unused")
    assert (str(got) if got is not None else None) == expected


def test_backends_by_url(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path / "a.sqlite3"), "/unused"), SQLiteStore)
    assert isinstance(open_store("postgresql://u@localhost/db", "/unused"), PostgresStore)
    assert isinstance(open_store("postgres://u@localhost/db", "/unused"), PostgresStore)
    dynamo = open_store("dynamodb://table?region=eu-west-1&endpoint=http://127.0.0.1:1", "/u")
    assert isinstance(dynamo, DynamoDBStore)
    assert dynamo.describe() == "dynamodb table table (http://127.0.0.1:1)"


@pytest.mark.parametrize(
    "setting",
    [
        "mysql://h/db",
        "sqlite://",
        "sqlite://relative",
        "dynamodb://?region=x",
        "dynamodb://t/extra",
        "dynamodb://t?regoin=x",
        "postgresql://h/db?=oops",
    ],
)
def test_settings_naming_no_backend(setting: str) -> None:
    with pytest.raises(ValueError):
        open_store(setting, "/unused")


def test_an_unusable_salt_turns_persistence_off(
    app_config: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from skill import create_app

    (tmp_path / "db.sqlite3.salt").write_bytes(b"short")
    with caplog.at_level(logging.ERROR):
        app = create_app({**app_config, "DATABASE": str(tmp_path / "db.sqlite3")})
    assert app.extensions["cramp_relief"].store is None
    assert "resume across sessions is off" in caplog.text


class CountingStore:
    """Stands in for a backend: counts claims, remembers ids, or fails when told to."""

    def __init__(self) -> None:
        self.claims = 0
        self.seen: dict[str, float] = {}
        self.failing = False

    def claim_request(self, request_id: str, expires_at: float, now: float) -> bool:
        self.claims += 1
        if self.failing:
            raise PersistenceError("cannot record the request id: down")
        if self.seen.get(request_id, 0) > now:
            return False
        self.seen[request_id] = expires_at
        return True


NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_the_cache_answers_repeats_without_the_store() -> None:
    store = CountingStore()
    guard = ReplayGuard(store, cache_size=2)  # type: ignore[arg-type]
    assert not guard.seen_before("a", NOW, 150)
    assert guard.seen_before("a", NOW + timedelta(seconds=10), 150)
    assert store.claims == 1
    # Kept for twice the window, then forgotten by cache and store alike.
    assert guard.seen_before("a", NOW + timedelta(seconds=299), 150)
    assert not guard.seen_before("a", NOW + timedelta(seconds=301), 150)


def test_the_cache_is_bounded_and_the_store_still_knows() -> None:
    store = CountingStore()
    guard = ReplayGuard(store, cache_size=2)  # type: ignore[arg-type]
    for request_id in ("a", "b", "c"):
        assert not guard.seen_before(request_id, NOW, 150)
    assert len(guard._cache) == 2
    assert guard.seen_before("a", NOW, 150)  # evicted from the cache, found in the store
    assert store.claims == 4


def test_a_failing_store_is_logged_once_and_its_return_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = CountingStore()
    guard = ReplayGuard(store)  # type: ignore[arg-type]
    store.failing = True
    with caplog.at_level(logging.WARNING, logger="skill.storage"):
        for number in range(5):
            assert not guard.seen_before(f"id-{number}", NOW, 150)
        assert guard.seen_before("id-0", NOW, 150)  # this process still remembers
        store.failing = False
        assert not guard.seen_before("fresh", NOW, 150)
        assert not guard.seen_before("fresh-2", NOW, 150)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert "checked in this process only" in messages[0]
    assert "answers again" in messages[1]


def test_every_failed_claim_is_counted_though_it_is_logged_once() -> None:
    store, failures = CountingStore(), list[str]()
    guard = ReplayGuard(store, count_failure=failures.append)  # type: ignore[arg-type]
    assert not guard.seen_before("before", NOW, 150)
    store.failing = True
    for number in range(3):
        assert not guard.seen_before(f"id-{number}", NOW, 150)
    store.failing = False
    assert not guard.seen_before("after", NOW, 150)
    assert failures == ["claim"] * 3


def test_without_a_store_the_process_still_refuses_its_own_replays() -> None:
    guard = ReplayGuard(None)
    assert not guard.seen_before("a", NOW, 150)
    assert guard.seen_before("a", NOW, 150)


@pytest.mark.parametrize("request_id", [None, "", 42, "x" * 257])
def test_a_request_without_a_usable_id_is_refused(alexa: AlexaClient, request_id: object) -> None:
    envelope = alexa.conversation.launch()
    envelope["request"]["requestId"] = request_id
    reply = alexa.post(envelope)
    assert reply.status_code == 400
    assert reply.get_json()["reason"] == "request.requestId is missing or too long"


@pytest.mark.parametrize("request_id", ["\ud800", "amzn1.echo-api.request.\udfff-1"])
def test_a_request_id_with_a_lone_surrogate_is_refused_before_the_store(
    alexa: AlexaClient, request_id: str
) -> None:
    """JSON can carry a lone surrogate (a "\\ud800" escape), which no store can encode."""
    envelope = alexa.conversation.launch()
    envelope["request"]["requestId"] = request_id
    reply = alexa.post(envelope)
    assert reply.status_code == 400
    assert reply.get_json()["reason"] == "request.requestId is not valid Unicode text"


def test_replays_may_be_switched_off_for_load_tools(
    app_config: dict[str, Any], dev_ca: Any
) -> None:
    from skill import create_app

    alexa = AlexaClient(create_app({**app_config, "REFUSE_REPLAYS": False}).test_client(), dev_ca)
    envelope = alexa.conversation.launch()
    assert alexa.post(envelope).status_code == 200
    assert alexa.post(envelope).status_code == 200
