"""What the benchmark sections share: the development CA, signed requests, the bare route.

Every request the benchmark sends is a real envelope from a real conversation with the skill
(skill.envelopes.Conversation, answered in process), so the session attributes of a guided-stretch
step are the ones the skill itself handed back. Bodies are signed by a development CA whose chain
the server is told to trust (and whose chain its certificate loader serves without any network),
so the full verification path runs: certificate chain cached after the first request, then the
Signature-256 check over the body and the timestamp check on every request.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.devca import DevCA
from skill.envelopes import DEFAULT_SKILL_ID, Conversation, slot, timestamp

ALEXA_PATH = "/alexa"
BARE_PATH = "/bare/<name>"
BARE_BODIES_ENV = "CRAMP_BENCH_BARE_BODIES"


def bench_parser(module: str, doc: str | None) -> argparse.ArgumentParser:
    """The command line of `python -m <module>`, with its docstring shown as written (the
    benchmarks' docstrings hold commands and numbered sections that rewrapping would run together).
    """
    return argparse.ArgumentParser(
        prog=f"python -m {module}",
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def bench_ca(directory: Path) -> DevCA:
    """The development CA kept in `directory` (made on first use, read back afterwards)."""
    return load_or_create_dev_ca(directory)


def app_config(ca: DevCA, database: Path) -> dict[str, Any]:
    """Production settings (certifi's roots, a skill id, a database), plus the dev CA trusted.

    The loader serves only the dev chain: any other URL fails, so nothing leaves the machine.
    """
    return {
        "SKILL_ID": DEFAULT_SKILL_ID,
        "EXTRA_TRUSTED_ROOTS_PEM": ca.root_pem,
        "CERT_LOADER": ca.loader,
        "DATABASE": str(database),
        # wrk and the timed loops send one signed request over and over, which the skill would
        # refuse as replays; bench.storage measures with replays refused.
        "REFUSE_REPLAYS": False,
    }


@dataclass(frozen=True)
class Signed:
    """A request ready to post: the exact body bytes and the headers Alexa would send."""

    body: bytes
    headers: dict[str, str]


def sign(ca: DevCA, envelope: Mapping[str, Any]) -> Signed:
    """`envelope` with a fresh timestamp, serialised and signed."""
    fresh = {**envelope, "request": {**envelope["request"], "timestamp": timestamp()}}
    body = json.dumps(fresh).encode()
    return Signed(body, {"Content-Type": "application/json", **ca.sign(body)})


Poster = Callable[[Mapping[str, Any]], dict[str, Any]]


def record_scenarios(post: Poster) -> dict[str, dict[str, Any]]:
    """Envelopes for the timed requests, taken from conversations answered by `post`.

    launch: "Alexa, open cramp relief". relief: "my calf is cramping" (an entity-resolution
    match, as Alexa sends it). step: "next" in the middle of the default guided stretch, with the
    session attributes the skill returned for the step before.
    """
    scenarios: dict[str, dict[str, Any]] = {}
    talk = Conversation()
    scenarios["launch"] = talk.launch()
    talk.receive(post(scenarios["launch"]))
    scenarios["relief"] = talk.intent(
        "CrampReliefIntent", {"muscle": slot("muscle", "calf", value_id="calf", slot_type="MUSCLE")}
    )
    talk.receive(post(scenarios["relief"]))
    talk.receive(post(talk.intent("GuidedStretchIntent")))
    scenarios["step"] = talk.intent("AMAZON.NextIntent")
    answer = post(scenarios["step"])
    if "Step" not in json.dumps(answer):
        raise RuntimeError(f"'next' in a routine did not give a step: {answer}")
    return scenarios


def client_poster(client: FlaskClient, ca: DevCA) -> Poster:
    """A Poster that signs each envelope and posts it through a Flask test client."""

    def post(envelope: Mapping[str, Any]) -> dict[str, Any]:
        signed = sign(ca, envelope)
        reply = client.post(ALEXA_PATH, data=signed.body, headers=signed.headers)
        if reply.status_code != 200:
            raise RuntimeError(f"recording a conversation got HTTP {reply.status_code}")
        answer: dict[str, Any] = reply.get_json()
        return answer

    return post


def mixed_conversation(post: Poster) -> list[dict[str, Any]]:
    """One envelope of every kind the skill answers, in the order a night might bring them.

    Each is taken from a live conversation, so its session attributes are the real ones.
    """
    sent: list[dict[str, Any]] = []

    def say(envelope: dict[str, Any]) -> None:
        sent.append(envelope)
        talk.receive(post(envelope))

    talk = Conversation()
    say(talk.launch())
    for muscle in ("calf", "foot", "toes", "arch"):
        say(
            talk.intent(
                "CrampReliefIntent",
                {"muscle": slot("muscle", muscle, value_id=muscle, slot_type="MUSCLE")},
            )
        )
    say(talk.intent("StillCrampingIntent"))
    say(talk.intent("CauseIntent"))
    say(talk.intent("PreventionTipIntent"))
    say(talk.intent("DoctorIntent"))
    say(talk.intent("AMAZON.HelpIntent"))
    say(talk.intent("AMAZON.FallbackIntent"))
    say(talk.intent("AMAZON.RepeatIntent"))
    say(talk.intent("GuidedStretchIntent"))
    for _ in range(3):
        say(talk.intent("AMAZON.NextIntent"))
    say(talk.intent("AMAZON.RepeatIntent"))
    say(talk.intent("AMAZON.StopIntent"))
    say(talk.launch())
    say(talk.session_ended())
    say(talk.can_fulfill("CrampReliefIntent", {"muscle": slot("muscle", "calf")}))
    return sent


def add_bare_routes(app: Flask, bodies: Mapping[str, bytes]) -> None:
    """POST /bare/<name>: the constant body `bodies[name]` as JSON, and nothing else.

    The baseline: the same Flask app, process and server, answering with a body exactly as long
    as the skill's answer to the same request, without verifying, parsing or rendering anything.
    """
    constant = dict(bodies)

    def bare(name: str) -> Any:
        return app.response_class(constant[name], mimetype="application/json")

    app.add_url_rule(BARE_PATH, "bare", bare, methods=["POST"])


def bare_bodies_from_env() -> dict[str, bytes]:
    path = os.environ.get(BARE_BODIES_ENV)
    if not path:
        return {}
    loaded: dict[str, str] = json.loads(Path(path).read_text("utf-8"))
    return {name: body.encode() for name, body in loaded.items()}


def per_call_us(call: Callable[[], object], count: int) -> float:
    """Mean microseconds per call over `count` calls."""
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) / count * 1e6


Around = Callable[[], AbstractContextManager[object]]


def interleaved(
    calls: Mapping[str, Callable[[], object]],
    count: int,
    rounds: int,
    around: Mapping[str, Around] | None = None,
) -> dict[str, float]:
    """Per-call µs of each call: the fastest of `rounds` rounds in which the calls take turns.

    Taking turns round by round means a shared machine's busy moment hits every contender alike,
    and the fastest round is the one least disturbed by anything else (noise only ever adds).
    `around[name]`, if given, is entered around each of that call's batches (untimed set-up).
    """
    around = around or {}
    for name, call in calls.items():
        with around.get(name, nullcontext)():
            per_call_us(call, max(1, count // 5))  # warm caches and code paths
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            with around.get(name, nullcontext)():
                samples[name].append(per_call_us(call, count))
    return {name: min(values) for name, values in samples.items()}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"
