"""DynamoDB for skills on AWS, through ask-sdk's official DynamoDbAdapter (the `dynamodb` extra).

One table, partition key `id`: each user's attributes under the same salted SHA-256 key as the
other backends, the salt as one item made once with a conditional put, and replay entries as
`request:<id>` items with an `expires_at` that DynamoDB's TTL deletes. A hashed key is 64 hex
digits, so it can never collide with either. Unlike the SQL backends, a save replaces the
user's whole item, as the official adapter does.
"""

from __future__ import annotations

import json
import math
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from skill.storage.base import (
    SALT_BYTES,
    Breaker,
    Changes,
    PersistenceError,
    Store,
    decode_attributes,
)

__all__ = ["DynamoDBStore"]

INSTALL_HINT = "DATABASE=dynamodb://… needs: pip install 'cramp-relief[dynamodb]'"
_KEY = "id"
_SALT_ID = "cramp-relief:salt"
_REQUEST_PREFIX = "request:"


class DynamoDBStore(Store):
    """Attributes, salt and replay entries in one DynamoDB table."""

    backend = "dynamodb"

    def __init__(
        self, table: str, *, region: str | None, endpoint: str | None, timeout: float = 1.0
    ) -> None:
        super().__init__()
        try:
            import boto3
            from botocore.config import Config
        except ImportError as exc:
            raise PersistenceError(INSTALL_HINT) from exc
        self._table_name = table
        self._region = region
        self._endpoint = endpoint
        config = Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            # No retries: a request would wait them out; the next request simply tries again.
            retries={"total_max_attempts": 1, "mode": "standard"},
        )
        self._resource: Any = boto3.resource(
            "dynamodb", region_name=region, endpoint_url=endpoint, config=config
        )
        self._table: Any = self._resource.Table(table)
        self._adapter = _official_adapter(table, self._resource)
        self._salt: bytes | None = None
        self._breaker = Breaker()

    def describe(self) -> str:
        where = self._endpoint or f"region {self._region or 'from the AWS configuration'}"
        return f"dynamodb table {self._table_name} ({where})"

    def salt(self) -> bytes:
        if self._salt is None:
            with self._errors("read the salt"):
                item = self._table.get_item(Key={_KEY: _SALT_ID}, ConsistentRead=True).get("Item")
                if item is None:
                    item = self._create_salt()
                salt = bytes(item["salt"])
            if len(salt) != SALT_BYTES:
                # Never replace it: that would silently orphan every stored item.
                raise PersistenceError(f"the table's salt has {len(salt)} bytes")
            self._salt = salt
        return self._salt

    def _create_salt(self) -> Any:
        """Put a salt unless one is there (hosts racing: one put wins), then read the winner."""
        from botocore.exceptions import ClientError

        try:
            self._table.put_item(
                Item={_KEY: _SALT_ID, "salt": secrets.token_bytes(SALT_BYTES)},
                ConditionExpression="attribute_not_exists(#k)",
                ExpressionAttributeNames={"#k": _KEY},
            )
        except ClientError as exc:
            if _code(exc) != "ConditionalCheckFailedException":
                raise
        return self._table.get_item(Key={_KEY: _SALT_ID}, ConsistentRead=True)["Item"]

    def _load(self, user_hash: str) -> dict[str, object]:
        with self._errors("read attributes"):
            raw = self._adapter.get_attributes(_Keyed(user_hash))
        # Numbers come back as Decimal; through JSON they are ints and floats again.
        return decode_attributes(_to_json(raw))

    def _save(self, user_hash: str, changes: Changes) -> None:
        # DynamoDB takes no floats, only Decimal.
        item = _from_json(changes.full_json)
        with self._errors("save attributes"):
            self._adapter.save_attributes(_Keyed(user_hash), item)

    def _delete(self, user_hash: str) -> None:
        with self._errors("delete attributes"):
            self._adapter.delete_attributes(_Keyed(user_hash))

    def claim_request(self, request_id: str, expires_at: float, now: float) -> bool:
        from botocore.exceptions import ClientError

        with self._errors("record the request id"):
            try:
                self._table.put_item(
                    Item={_KEY: _REQUEST_PREFIX + request_id, "expires_at": math.ceil(expires_at)},
                    ConditionExpression="attribute_not_exists(#k) OR expires_at <= :now",
                    ExpressionAttributeNames={"#k": _KEY},
                    ExpressionAttributeValues={":now": math.floor(now)},
                )
            except ClientError as err:
                # The id is recorded and unexpired: a replay, the answer rather than a failure.
                if _code(err) == "ConditionalCheckFailedException":
                    return False
                raise
        return True

    def ping(self) -> None:
        with self._errors("reach the table"):
            self._table.load()

    def check(self) -> str:
        self.ping()
        with self._errors("read the salt"):
            found = self._table.get_item(Key={_KEY: _SALT_ID}, ConsistentRead=True)
        if "Item" not in found:
            raise PersistenceError("the table holds no salt yet: run `cramp-relief db migrate`")
        return f"{self.describe()}: reachable, salt present"

    def migrate(self) -> str:
        """Create the table (on-demand billing) with TTL on expires_at, if it is missing."""
        from botocore.exceptions import ClientError

        client = self._resource.meta.client
        created = False
        with self._errors("create the table"):
            try:
                client.create_table(
                    TableName=self._table_name,
                    KeySchema=[{"AttributeName": _KEY, "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": _KEY, "AttributeType": "S"}],
                    BillingMode="PAY_PER_REQUEST",
                )
                created = True
            except ClientError as exc:
                if _code(exc) != "ResourceInUseException":
                    raise
            client.get_waiter("table_exists").wait(TableName=self._table_name)
            ttl = client.describe_time_to_live(TableName=self._table_name)
            if ttl["TimeToLiveDescription"].get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
                client.update_time_to_live(
                    TableName=self._table_name,
                    TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
                )
        self.salt()
        return f"{self.describe()}: {'created' if created else 'already there'}, TTL on"

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        from ask_sdk_core.exceptions import PersistenceException
        from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
        from botocore.exceptions import ConnectionError as EndpointUnreachable

        self._breaker.check(action)
        try:
            yield
        except (BotoCoreError, ClientError, PersistenceException, KeyError) as exc:
            cause = (
                exc.__cause__ or exc.__context__ if isinstance(exc, PersistenceException) else exc
            )
            # Only an endpoint that could not be reached or did not answer in time (refused,
            # closed, connect or read timeout) pauses the store: the next calls would wait the
            # same way. An answer that is an error, or a local one (no credentials, a bad
            # parameter), fails that call alone.
            if isinstance(cause, (EndpointUnreachable, HTTPClientError)):
                self._breaker.tripped()
            # Only an error code or type: botocore's messages can quote the key.
            reason = _code(cause) if isinstance(cause, ClientError) else type(cause).__name__
            raise PersistenceError(f"cannot {action}: {reason}") from exc


class _Keyed:
    """What the official adapter's partition_keygen receives: the already hashed key."""

    def __init__(self, key: str) -> None:
        self.key = key


def _keygen(request: Any) -> str:
    key: str = request.key
    return key


def _official_adapter(table: str, resource: Any) -> Any:
    # The adapter module builds a default boto3 resource at import time, which fails without a
    # region configured; give it one for the import only (ours is passed in explicitly).
    had_region = "AWS_DEFAULT_REGION" in os.environ
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    except ImportError as exc:
        raise PersistenceError(INSTALL_HINT) from exc
    finally:
        if not had_region:
            del os.environ["AWS_DEFAULT_REGION"]
    return DynamoDbAdapter(
        table_name=table,
        partition_key_name=_KEY,
        attribute_name="attributes",
        create_table=False,
        partition_keygen=_keygen,
        dynamodb_resource=resource,
    )


def _to_json(value: object) -> str:
    return json.dumps(value, default=_number)


def _number(value: object) -> int | float:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


def _from_json(text: str) -> dict[str, object]:
    value: dict[str, object] = json.loads(text, parse_float=Decimal)
    return value


def _code(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", type(exc).__name__))
