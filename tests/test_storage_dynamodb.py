"""What only DynamoDB has: the pause after a failure comes only from an endpoint that does not
answer, as PostgreSQL's does (tests/test_storage_postgres.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import boto3
import pytest

from skill.devtools.devdb import MotoServer
from skill.storage import PersistenceError
from skill.storage.dynamodb import DynamoDBStore
from tests.helpers.store_requests import envelope


@pytest.fixture
def refused(moto_server: MotoServer) -> Iterator[DynamoDBStore]:
    """A store whose endpoint refuses connections (nothing listens on port 1); the moto fixture
    gives it the dummy credentials, so the call gets as far as the network."""
    made = DynamoDBStore("t", region="us-east-1", endpoint="http://127.0.0.1:1", timeout=0.5)
    yield made
    made.close()


def test_an_unreachable_endpoint_pauses_the_store(refused: DynamoDBStore) -> None:
    with pytest.raises(PersistenceError, match="EndpointConnectionError"):
        refused.get_attributes(envelope("u"))
    with pytest.raises(PersistenceError, match="failed a moment ago"):
        refused.get_attributes(envelope("u"))  # nobody waits on it again meanwhile
    time.sleep(1.1)  # the pause after a failure
    with pytest.raises(PersistenceError, match="EndpointConnectionError"):
        refused.get_attributes(envelope("u"))  # tried again after the pause


def test_an_error_answer_does_not_pause_the_store(moto_server: MotoServer) -> None:
    # The table was never made: the endpoint answers, with ResourceNotFoundException, every time.
    store = DynamoDBStore(
        "never-made", region="us-east-1", endpoint=moto_server.endpoint, timeout=2.0
    )
    try:
        for _ in range(3):
            with pytest.raises(PersistenceError, match="ResourceNotFoundException"):
                store.get_attributes(envelope("u"))
    finally:
        store.close()


def test_missing_credentials_do_not_pause_the_store(
    moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A local failure, before any network: every call fails the same way, at once, with no pause.
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # boto3's default session keeps the credentials it found for earlier tests.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    store = DynamoDBStore("t", region="us-east-1", endpoint=moto_server.endpoint, timeout=2.0)
    try:
        for _ in range(2):
            with pytest.raises(PersistenceError, match="NoCredentialsError"):
                store.get_attributes(envelope("u"))
    finally:
        store.close()
