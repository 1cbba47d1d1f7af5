"""Two `cramp-relief serve` processes on different ports sharing one PostgreSQL: people start a
routine on one, continue on the other, and stop, with nothing lost or crossed.

The default suite runs 100 people; TWO_HOSTS_FULL=1 runs the full 1,000 (about 25 s).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.user import User

from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.two_hosts import ServeProcess, expected_place, run_people
from skill.storage import open_store

USERS = 1000 if os.environ.get("TWO_HOSTS_FULL") else 100


@pytest.fixture
def two_hosts(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Path, tuple[int, int]]]:
    ca_dir = tmp_path / "dev-ca"
    load_or_create_dev_ca(ca_dir)
    hosts = [ServeProcess(postgres_url, ca_dir), ServeProcess(postgres_url, ca_dir)]
    try:
        yield ca_dir, (hosts[0].port, hosts[1].port)
    finally:
        for host in hosts:
            host.stop()


def test_people_moving_between_two_hosts_lose_nothing(
    two_hosts: tuple[Path, tuple[int, int]], postgres_url: str
) -> None:
    ca_dir, ports = two_hosts
    outcome, ids = run_people(ca_dir, ports, USERS)
    assert outcome.problems == []
    assert outcome.requests == sum(7 + i % 3 for i in range(USERS))
    store = open_store(postgres_url, "/nonexistent")
    try:
        lost_or_crossed = []
        for index, user_id in ids.items():
            envelope = RequestEnvelope(
                context=Context(system=SystemState(user=User(user_id=user_id)))
            )
            saved = store.get_attributes(envelope).get("resume")
            place = (
                {k: saved.get(k) for k in ("routine", "step")} if isinstance(saved, dict) else None
            )
            if place != expected_place(index):
                lost_or_crossed.append((index, place))
    finally:
        store.close()
    assert lost_or_crossed == []
