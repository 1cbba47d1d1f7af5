"""Helpers shared by the tests: a signed Alexa client that carries its session, readers of
responses, a person talking across sessions at a fake clock's time, the storage backends as
the contract suite sees them, Amazon's APL validator, and the checks the served skill must pass
directly and behind the proxy. Test modules import these from here,
never from conftest or from each other."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import pytest
from flask.testing import FlaskClient

from bench.common import Signed, sign
from bench.slowclients import Timed, Wrap, ordinary_requests, plain, slow_clients
from skill.alexa_api import REMINDERS_SCOPE
from skill.devtools.devca import DevCA
from skill.devtools.devdb import MotoServer, PostgresCluster
from skill.envelopes import Conversation, read_response, slot
from skill.locales import DEFAULT_LOCALE
from skill.simulator.alexa_api import AlexaApiStandIn
from skill.speech import ssml_to_text
from skill.storage import Store, open_store
from skill.storage.base import hash_user


class AlexaClient:
    """Posts envelopes to /alexa signed by the dev CA, as Alexa would, and carries the session."""

    def __init__(
        self,
        client: FlaskClient,
        ca: DevCA,
        locale: str = DEFAULT_LOCALE,
        *,
        alexa_api: AlexaApiStandIn | None = None,
    ) -> None:
        self.client = client
        self.ca = ca
        self.conversation = Conversation(locale=locale)
        self.alexa_api = alexa_api
        if alexa_api is not None:
            # A user of the stand-in, without the reminders permission until granted.
            self.conversation.api_endpoint = alexa_api.endpoint
            self.conversation.api_access_token = alexa_api.new_user()

    def grant_reminders(self, granted: bool = True) -> None:
        """The user grants (or withdraws) the reminders permission, as the Alexa app records it:
        the next requests carry the scope's status and a token that has (or lacks) it."""
        assert self.alexa_api is not None
        token = self.conversation.api_access_token
        self.conversation.api_access_token = self.alexa_api.grant(token, granted)
        self.conversation.scopes[REMINDERS_SCOPE] = "GRANTED" if granted else "DENIED"

    def reminders(self) -> list[dict[str, Any]]:
        """This user's reminders in the stand-in."""
        assert self.alexa_api is not None
        return self.alexa_api.reminders(self.conversation.api_access_token)

    def post(
        self,
        envelope: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Any:
        raw = body if body is not None else json.dumps(envelope).encode()
        signed = {"Content-Type": "application/json; charset=utf-8", **self.ca.sign(raw)}
        return self.client.post("/alexa", data=raw, headers={**signed, **(headers or {})})

    def send(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """Post, require a 200, and keep the session the response leaves open."""
        reply = self.post(envelope)
        assert reply.status_code == 200, reply.get_data(as_text=True)
        payload: dict[str, Any] = reply.get_json()
        self.conversation.receive(payload)
        return payload

    def launch(self, **kwargs: Any) -> dict[str, Any]:
        return self.send(self.conversation.launch(**kwargs))

    def intent(self, name: str, **slots: str) -> dict[str, Any]:
        built = {key: slot(key, value) for key, value in slots.items()}
        return self.send(self.conversation.intent(name, built or None))


def speech_of(payload: Mapping[str, Any]) -> str:
    """The SSML of a response's output speech ('' when there is none)."""
    return read_response(payload).ssml or ""


# --- people across sessions (resume) ---------------------------------------------------------

PLAIN_LAUNCH = (
    "Stop any stretch you are holding. Flex your foot, pulling your toes up toward your shin, "
    "and rub the tight spot gently. Want me to guide you through a stretch?"
)
RELIEF = (
    "Stop any stretch you are holding. "
    "Flex your foot, toes toward your shin, and rub the tight spot."
)


def offer(name: str, step: str) -> str:
    return f"{RELIEF} Or say continue to pick up the {name} at step {step}."


class FakeClock:
    """The skill's clock (config CLOCK); requests are stamped with it, so verification agrees."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Person:
    """One user on one device, talking across several sessions at the fake clock's time."""

    def __init__(self, alexa: AlexaClient, clock: FakeClock) -> None:
        self.alexa = alexa
        self.clock = clock

    def launch(self) -> dict[str, Any]:
        return self.alexa.send(self.alexa.conversation.launch(when=self.clock()))

    def say(self, intent: str, **slots: str) -> dict[str, Any]:
        built = {name: slot(name, value) for name, value in slots.items()}
        envelope = self.alexa.conversation.intent(intent, built or None, when=self.clock())
        return self.alexa.send(envelope)

    def silence(self) -> dict[str, Any]:
        """Alexa gave up waiting: the session ends with SessionEndedRequest."""
        envelope = self.alexa.conversation.session_ended(
            "EXCEEDED_MAX_REPROMPTS", when=self.clock()
        )
        return self.alexa.send(envelope)


def text_of(payload: Mapping[str, Any]) -> str:
    return ssml_to_text(speech_of(payload))


def into_calf_step_three(person: Person) -> None:
    person.say("GuidedStretchIntent", muscle="calf")
    person.say("AMAZON.NextIntent")
    assert text_of(person.say("AMAZON.NextIntent")).startswith("Step three.")


# --- the storage backends, as the contract suite sees them ----------------------------------


class Backend:
    """One backend under test; `url` is what DATABASE is set to."""

    name = "?"
    url = ""
    # Whether concurrent saves of different keys for one person both survive.
    merges_keys = True

    opened: list[Store]

    def open(self) -> Store:
        store = open_store(self.url, "/nonexistent-instance-folder")
        self.__dict__.setdefault("opened", []).append(store)
        return store

    def close(self) -> None:
        for store in self.__dict__.get("opened", []):
            store.close()

    def tamper(self, user_id: str, raw_json: str) -> None:
        """Overwrite the user's stored attributes with `raw_json`, behind the store's back."""
        raise NotImplementedError

    @contextlib.contextmanager
    def away(self) -> Iterator[None]:
        """The database cannot be reached inside the block, and is back (data intact) after."""
        raise NotImplementedError
        yield

    @contextlib.contextmanager
    def refusing_writes(self) -> Iterator[None]:
        """Reads may work but writes fail inside the block (full disk, read-only, gone)."""
        raise NotImplementedError
        yield

    def user_key(self, user_id: str) -> str:
        store = self.open()
        try:
            return hash_user(store.salt(), user_id)
        finally:
            store.close()


class SQLiteBackend(Backend):
    name = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "db"
        self.folder.mkdir()
        self.path = self.folder / "cramp-relief.sqlite3"
        self.url = f"sqlite:///{self.path}"  # sqlite:/// + an absolute path: four slashes

    def tamper(self, user_id: str, raw_json: str) -> None:
        with contextlib.closing(sqlite3.connect(self.path)) as conn, conn:
            conn.execute(
                "UPDATE users SET attributes = ? WHERE user_hash = ?",
                (raw_json, self.user_key(user_id)),
            )

    @contextlib.contextmanager
    def away(self) -> Iterator[None]:
        hidden = self.folder.with_name("db-away")
        self.folder.rename(hidden)
        try:
            yield
        finally:
            hidden.rename(self.folder)

    @contextlib.contextmanager
    def refusing_writes(self) -> Iterator[None]:
        # A full disk, as the kernel reports it: any write past this size fails with EFBIG
        # (SQLITE_FULL), and SIGXFSZ is ignored so that is an error, not a killed process.
        # Root ignores file permissions, so this works for every user.
        limits = resource.getrlimit(resource.RLIMIT_FSIZE)
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, limits[1]))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, limits)
            signal.signal(signal.SIGXFSZ, previous)


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, cluster: PostgresCluster, url: str) -> None:
        self.cluster = cluster
        self.url = url
        self.dbname = url.split("///", 1)[1].split("?", 1)[0]

    def tamper(self, user_id: str, raw_json: str) -> None:
        literal = raw_json.replace("'", "''")
        self.cluster.sql(
            f"UPDATE cramp_relief_users SET attributes = '{literal}'::jsonb"
            f" WHERE user_hash = '{self.user_key(user_id)}'",
            self.dbname,
        )

    @contextlib.contextmanager
    def away(self) -> Iterator[None]:
        self.cluster.stop("immediate")  # as a crash: every session is cut
        try:
            yield
        finally:
            self.cluster.start()

    @contextlib.contextmanager
    def refusing_writes(self) -> Iterator[None]:
        # Read-only for every session, open ones included (as a standby, or a disk-full guard).
        self.cluster.sql("ALTER SYSTEM SET default_transaction_read_only = on")
        self.cluster.sql("SELECT pg_reload_conf()")
        try:
            yield
        finally:
            self.cluster.sql("ALTER SYSTEM RESET default_transaction_read_only")
            self.cluster.sql("SELECT pg_reload_conf()")


class DynamoBackend(Backend):
    name = "dynamodb"
    # The official adapter writes a person's whole item.
    merges_keys = False

    def __init__(self, server: MotoServer) -> None:
        self.server = server
        self.table = f"t-{uuid.uuid4().hex[:12]}"
        self.url = server.url(self.table)
        self.open().migrate()

    def _table(self) -> Any:
        return boto3.resource("dynamodb", endpoint_url=self.server.endpoint).Table(self.table)

    def tamper(self, user_id: str, raw_json: str) -> None:
        value = json.loads(raw_json, parse_float=Decimal)
        self._table().put_item(Item={"id": self.user_key(user_id), "attributes": value})

    @contextlib.contextmanager
    def away(self) -> Iterator[None]:
        with self.server.frozen():
            yield

    @contextlib.contextmanager
    def refusing_writes(self) -> Iterator[None]:
        # moto has no read-only mode: the table is gone (DynamoDB refuses every write), and is
        # made again afterwards.
        self._table().delete()
        try:
            yield
        finally:
            self.open().migrate()


# --- Amazon's APL validator (apl-suggester, tools/apl) ----------------------------------------

APL_TOOLS = Path(__file__).resolve().parent.parent / "tools" / "apl"


def _required() -> bool:
    return os.environ.get("CI") == "true" or bool(os.environ.get("REQUIRE_APL_VALIDATOR"))


def apl_findings(
    cases: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> dict[str, Any]:
    """apl-suggester's findings for each named (document, datasources); {} entries when clean."""
    node = shutil.which("node")
    missing = (
        "node is not installed (apt-get install nodejs npm)"
        if node is None
        else "tools/apl/node_modules is missing (cd tools/apl && npm ci)"
        if not (APL_TOOLS / "node_modules" / "apl-suggester").is_dir()
        else None
    )
    if missing is not None:
        if _required():
            pytest.fail(f"the APL validator is required here (CI) but {missing}")
        pytest.skip(f"APL validator unavailable: {missing}")
    payload = {
        "cases": [
            {"name": name, "document": document, "datasources": datasources}
            for name, (document, datasources) in cases.items()
        ]
    }
    done = subprocess.run(
        [str(node), str(APL_TOOLS / "validate.js")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=APL_TOOLS,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


# --- the skill served over HTTP (tests/test_serving.py directly, tests/test_proxy.py via nginx) ---

SLOW_CLIENTS = 50
ORDINARY_REQUESTS = 20


def signed_launch(ca: DevCA) -> Signed:
    """A LaunchRequest signed by `ca` now, with a request id of its own."""
    return sign(ca, Conversation().launch())


def short_body(signed: Signed, host: str) -> bytes:
    """`signed` as a raw HTTP/1.1 POST /alexa whose body stops halfway through its
    Content-Length."""
    head = "".join(f"{name}: {value}\r\n" for name, value in signed.headers.items())
    return (
        f"POST /alexa HTTP/1.1\r\nHost: {host}\r\n{head}Content-Length: {len(signed.body)}\r\n\r\n"
    ).encode() + signed.body[: len(signed.body) // 2]


def check_slow_clients_delay_nobody(
    port: int, send: Callable[[], Timed], wrap: Wrap = plain
) -> None:
    """With 50 slow clients holding connections to `port` (each `wrap`ped), 20 ordinary requests
    sent by `send` are all answered 200, none after more than 1 s."""
    with slow_clients(port, SLOW_CLIENTS, max_seconds=30, wrap=wrap) as drips:
        time.sleep(0.5)  # every slow client is connected and part-way through its request
        latency = ordinary_requests(send, count=ORDINARY_REQUESTS, max_seconds=20)
        assert all(d.sock is not None or d.reconnects > 0 for d in drips)
    assert [t.status for t in latency.timings] == [200] * ORDINARY_REQUESTS
    assert latency.max_ms < 1000, latency.timings
