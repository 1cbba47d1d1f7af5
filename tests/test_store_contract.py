"""The persistence contract at the store, per backend: saves, the salt, request ids, concurrency."""

from __future__ import annotations

import multiprocessing
import threading
import time
from typing import Any

import pytest

from skill.storage import PersistenceError
from tests.helpers.backends import Backend
from tests.helpers.store_requests import envelope


def test_save_load_delete(backend: Backend) -> None:
    store = backend.open()
    attrs: dict[str, object] = {"count": 3, "last": "calf", "nested": {"a": [1, 2.5, None, True]}}
    store.save_attributes(envelope("alice"), attrs)
    store.save_attributes(envelope("bob"), {"who": "bob"})
    assert backend.open().get_attributes(envelope("alice")) == attrs
    store.save_attributes(envelope("alice"), {"count": 4})
    assert store.get_attributes(envelope("alice")) == {"count": 4}
    store.delete_attributes(envelope("alice"))
    assert store.get_attributes(envelope("alice")) == {}
    assert store.get_attributes(envelope("bob")) == {"who": "bob"}
    assert store.get_attributes(envelope("nobody")) == {}


def test_a_value_changed_in_place_is_saved(backend: Backend) -> None:
    # The snapshot taken at load must not share nested values with what the handlers change.
    store = backend.open()
    store.save_attributes(envelope("carol"), {"place": {"step": 1}})
    loaded = store.get_attributes(envelope("carol", "r2"))
    place = loaded["place"]
    assert isinstance(place, dict)
    place["step"] = 2
    store.save_attributes(envelope("carol", "r2"), loaded)
    assert backend.open().get_attributes(envelope("carol", "r3")) == {"place": {"step": 2}}


def test_the_salt_is_made_once_and_shared(backend: Backend) -> None:
    first, second = backend.open(), backend.open()
    assert first.salt() == second.salt()
    assert len(first.salt()) == 32


def test_request_ids_are_claimed_once_until_they_expire(backend: Backend) -> None:
    first, second = backend.open(), backend.open()
    now = time.time()
    assert first.claim_request("amzn1.echo-api.request.1", now + 300, now)
    assert not second.claim_request("amzn1.echo-api.request.1", now + 300, now + 1)
    assert second.claim_request("amzn1.echo-api.request.2", now + 300, now)
    # Once expired, the id may be claimed again (its timestamp could no longer pass anyway).
    assert second.claim_request("amzn1.echo-api.request.1", now + 900, now + 301)
    first.ping()


def test_store_errors_never_name_the_user(backend: Backend) -> None:
    store = backend.open()
    store.save_attributes(envelope("amzn1.ask.account.SECRET"), {"x": 1})
    with backend.away(), pytest.raises(PersistenceError) as info:
        store.get_attributes(envelope("amzn1.ask.account.SECRET"))
    assert "SECRET" not in str(info.value)


PROCESSES = 3

WRITES = 12

OWN_USERS = 4


def _shared_value(writer: int, seq: int) -> dict[str, object]:
    # A bulky payload so a torn or interleaved write would show up as a mismatch.
    return {"writer": writer, "seq": seq, "payload": f"w{writer}s{seq}-" * 200}


def _write_concurrently(url: str, writer: int, barrier: Any) -> None:
    from skill.storage import open_store

    store = open_store(url, "/nonexistent-instance-folder", timeout=10.0)
    store.salt()  # connected before the race starts
    barrier.wait()
    for seq in range(WRITES):
        store.save_attributes(envelope("shared-user"), _shared_value(writer, seq))
        own = envelope(f"user-{writer}-{seq % OWN_USERS}")
        store.save_attributes(own, {"writer": writer, "seq": seq})
        # Nobody else writes this user, so a read-back must see exactly this write.
        assert store.get_attributes(own) == {"writer": writer, "seq": seq}
    store.close()


def test_concurrent_processes_lose_nothing(backend: Backend) -> None:
    backend.open().migrate()
    # fork: each child opens its own store after the fork, as a gunicorn worker does, and
    # starts in milliseconds rather than importing everything again.
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(PROCESSES)
    procs = [
        ctx.Process(target=_write_concurrently, args=(backend.url, writer, barrier))
        for writer in range(PROCESSES)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    assert [proc.exitcode for proc in procs] == [0] * PROCESSES
    store = backend.open()
    shared = store.get_attributes(envelope("shared-user"))
    assert shared in [_shared_value(writer, WRITES - 1) for writer in range(PROCESSES)]
    for writer in range(PROCESSES):
        for user in range(OWN_USERS):
            last = max(seq for seq in range(WRITES) if seq % OWN_USERS == user)
            got = store.get_attributes(envelope(f"user-{writer}-{user}"))
            assert got == {"writer": writer, "seq": last}


def test_concurrent_saves_of_different_keys(backend: Backend) -> None:
    """Two requests for one person load the same row, then each changes its own key."""
    store = backend.open()
    store.save_attributes(envelope("u"), {"resume": "old", "reminder": "old"})
    loaded = threading.Barrier(2)

    def change(key: str, request_id: str) -> None:
        attributes = store.get_attributes(envelope("u", request_id))
        loaded.wait()
        attributes[key] = "new"
        store.save_attributes(envelope("u", request_id), attributes)

    threads = [
        threading.Thread(target=change, args=("resume", "r1")),
        threading.Thread(target=change, args=("reminder", "r2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = store.get_attributes(envelope("u"))
    if backend.merges_keys:
        assert final == {"resume": "new", "reminder": "new"}
    else:  # the whole item, last writer wins: either change, never a mix or a loss of both
        assert final in ({"resume": "new", "reminder": "old"}, {"resume": "old", "reminder": "new"})
