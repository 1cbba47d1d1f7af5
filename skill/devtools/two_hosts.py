"""Two `cramp-relief serve` processes on one database, and simulated people moving between them:
each starts a routine on one host, stops, and continues on the other. Used by the two-host test
and by bench's throughput measurement."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.devca import DevCA
from skill.devtools.devdb import free_port
from skill.envelopes import Conversation, read_response, slot

# (slot value or None for the relief routine, its spoken name); each has at least four steps.
ROUTINES = (
    (None, "relief stretches"),
    ("bedtime", "bedtime stretches"),
    ("foot", "foot stretches"),
    ("toes", "toe stretches"),
)
SPOKEN = ("one", "two", "three", "four")


class ServeProcess:
    """`cramp-relief serve --dev` on 127.0.0.1 and a free port, with DATABASE from the env."""

    def __init__(self, database: str, ca_dir: Path, *, workers: int = 2) -> None:
        self.port = free_port()
        env = {**os.environ, "CRAMP_RELIEF_DATABASE": database}
        command = [sys.executable, "-m", "skill.cli", "serve", "--dev", "--dev-ca", str(ca_dir)]
        self.process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve on port {self.port} did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Device:
    """One person's Echo, talking to whichever host it is pointed at over a kept-alive socket."""

    def __init__(self, ca: DevCA, ports: tuple[int, int]) -> None:
        self.ca = ca
        self.conversation = Conversation()
        self.connections = [http.client.HTTPConnection("127.0.0.1", p, timeout=10) for p in ports]

    def send(self, host: int, envelope: dict[str, Any]) -> str:
        body = json.dumps(envelope).encode()
        headers = {"Content-Type": "application/json", **self.ca.sign(body)}
        conn = self.connections[host]
        conn.request("POST", "/alexa", body=body, headers=headers)
        reply = conn.getresponse()
        payload = json.loads(reply.read())
        if reply.status != 200:
            raise AssertionError(f"HTTP {reply.status}: {payload}")
        self.conversation.receive(payload)
        return read_response(payload).text or ""

    def close(self) -> None:
        for conn in self.connections:
            conn.close()


@dataclass
class Outcome:
    users: int = 0
    requests: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def one_person(ca: DevCA, ports: tuple[int, int], index: int) -> tuple[str, int, list[str]]:
    """Start a routine on host A, go `index % 3` steps in, stop; continue on host B, one step
    more, stop. Returns the user id, requests sent, and anything that went wrong."""
    device = Device(ca, ports)
    talk = device.conversation
    problems: list[str] = []
    routine, name = ROUTINES[index % len(ROUTINES)]
    steps_in = index % 3
    sent = 0

    def expect(host: int, envelope: dict[str, Any], words: str) -> None:
        nonlocal sent
        sent += 1
        heard = device.send(host, envelope)
        if words not in heard:
            problems.append(f"user {index}: expected {words!r}, heard {heard!r}")

    try:
        expect(0, talk.launch(), "Stop any stretch")
        slots = {"routine": slot("routine", routine)} if routine else None
        expect(0, talk.intent("GuidedStretchIntent", slots), "Step one.")
        for step in range(1, steps_in + 1):
            expect(0, talk.intent("AMAZON.NextIntent"), f"Step {SPOKEN[step]}.")
        expect(0, talk.intent("AMAZON.StopIntent"), f"Stopped at step {SPOKEN[steps_in]}.")
        expect(1, talk.launch(), f"pick up the {name} at step {SPOKEN[steps_in]}.")
        expect(1, talk.intent("AMAZON.ResumeIntent"), f"Picking up. Step {SPOKEN[steps_in]}.")
        expect(1, talk.intent("AMAZON.NextIntent"), f"Step {SPOKEN[steps_in + 1]}.")
        expect(1, talk.intent("AMAZON.StopIntent"), f"Stopped at step {SPOKEN[steps_in + 1]}.")
    except (OSError, AssertionError, http.client.HTTPException) as err:
        problems.append(f"user {index}: {type(err).__name__}: {err}")
    finally:
        device.close()
    return talk.user_id, sent, problems


def run_people(
    ca_dir: Path, ports: tuple[int, int], users: int, *, parallel: int = 16
) -> tuple[Outcome, dict[int, str]]:
    """Everyone through `one_person`, `parallel` at a time; their user ids by index."""
    ca = load_or_create_dev_ca(ca_dir)
    outcome = Outcome(users=users)
    ids: dict[int, str] = {}
    started = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        futures = {pool.submit(one_person, ca, ports, i): i for i in range(users)}
        for future, index in futures.items():
            user_id, sent, problems = future.result()
            ids[index] = user_id
            outcome.requests += sent
            outcome.problems.extend(problems)
    outcome.seconds = time.perf_counter() - started
    return outcome, ids


def expected_place(index: int) -> dict[str, object]:
    """Where person `index` stopped last: the saved row's routine and step (0-based)."""
    routine = ROUTINES[index % len(ROUTINES)][0] or "cramp_relief"
    return {"routine": routine, "step": index % 3 + 1}
