"""Section 1: server cost per request, in process, through Flask's test client.

Three apps from create_app in this one process: verification on (the dev CA trusted, its chain
fetched once and cached), verification off, and a throwaway one that records the conversations.
The baseline is a bare route on the verified app that returns a constant JSON body exactly as
long as the skill's answer to the same request.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from bench.common import (
    ALEXA_PATH,
    Signed,
    add_bare_routes,
    app_config,
    client_poster,
    interleaved,
    record_scenarios,
    sign,
    verdict,
)
from skill.app import create_app
from skill.devtools.devca import DevCA
from skill.endpoint import SkillRuntime
from skill.verification import RequestVerifier, check_timestamp

RATIO_TARGET = 2.5
REQUEST_LOGGER = "skill.requests"
SCENARIOS = ("launch", "relief", "step")


@dataclass(frozen=True)
class Row:
    scenario: str
    verified_us: float
    unverified_us: float
    bare_us: float
    verification_us: float
    unlogged_us: float
    response_bytes: int

    @property
    def log_line_us(self) -> float:
        return self.verified_us - self.unlogged_us

    @property
    def ratio(self) -> float:
        return self.verified_us / self.bare_us

    @property
    def unverified_ratio(self) -> float:
        return self.unverified_us / self.bare_us


@dataclass(frozen=True)
class Result:
    rows: list[Row]
    responses: dict[str, bytes]
    scenarios: dict[str, dict[str, Any]]

    def passed(self) -> bool:
        return all(row.ratio <= RATIO_TARGET for row in self.rows)


@contextmanager
def request_log_off() -> Iterator[None]:
    """The skill's request log line switched off (to show what it costs)."""
    logger = logging.getLogger(REQUEST_LOGGER)
    old_level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(old_level)


@contextmanager
def request_log(path: Path) -> Iterator[None]:
    """The skill's one line per request, formatted and written as `cramp-relief serve` does."""
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def _checked(client: FlaskClient, path: str, signed: Signed) -> Callable[[], object]:
    def call() -> object:
        return client.post(path, data=signed.body, headers=signed.headers)

    reply = client.post(path, data=signed.body, headers=signed.headers)
    if reply.status_code != 200:
        raise RuntimeError(f"{path} answered HTTP {reply.status_code}: {reply.get_data()[:200]!r}")
    return call


def _verification_alone(
    runtime: SkillRuntime, verifier: RequestVerifier, signed: Signed
) -> Callable[[], None]:
    """What VERIFY_REQUESTS switches on: the signature over the body, then the timestamp."""
    url = signed.headers["SignatureCertChainUrl"]
    signature = signed.headers["Signature-256"]
    inner = json.loads(signed.body)["request"]

    def call() -> None:
        verifier.verify_signature(url, signature, signed.body)
        check_timestamp(inner["timestamp"], inner["type"], runtime.clock())

    return call


def run(ca: DevCA, workdir: Path, count: int, rounds: int) -> Result:
    with request_log(workdir / "inprocess-requests.log"):
        recorder = create_app(app_config(ca, workdir / "record.sqlite3")).test_client()
        scenarios = record_scenarios(client_poster(recorder, ca))
        responses = {}
        for name in SCENARIOS:
            signed = sign(ca, scenarios[name])
            responses[name] = recorder.post(
                ALEXA_PATH, data=signed.body, headers=signed.headers
            ).get_data()

        verified_app = create_app(app_config(ca, workdir / "verified.sqlite3"))
        add_bare_routes(verified_app, responses)
        verified = verified_app.test_client()
        unverified = create_app(
            {**app_config(ca, workdir / "unverified.sqlite3"), "VERIFY_REQUESTS": False}
        ).test_client()
        runtime: SkillRuntime = verified_app.extensions["cramp_relief"]
        verifier = runtime.verifier
        if verifier is None:
            raise RuntimeError("the verified app has no verifier")

        rows = []
        for name in SCENARIOS:
            # Signed afresh for each scenario: its timestamp must stay within 150 s of now.
            signed = sign(ca, scenarios[name])
            timings = interleaved(
                {
                    "verified": _checked(verified, ALEXA_PATH, signed),
                    "unverified": _checked(unverified, ALEXA_PATH, signed),
                    "bare": _checked(verified, f"/bare/{name}", signed),
                    "verification": _verification_alone(runtime, verifier, signed),
                    "unlogged": _checked(verified, ALEXA_PATH, signed),
                },
                count,
                rounds,
                around={"unlogged": request_log_off},
            )
            rows.append(
                Row(
                    scenario=name,
                    verified_us=timings["verified"],
                    unverified_us=timings["unverified"],
                    bare_us=timings["bare"],
                    verification_us=timings["verification"],
                    unlogged_us=timings["unlogged"],
                    response_bytes=len(responses[name]),
                )
            )
    return Result(rows=rows, responses=responses, scenarios=scenarios)


def report(result: Result, count: int, rounds: int) -> list[str]:
    lines = [
        f"1. Server cost per request, in process (Flask test client; fastest of {rounds} rounds "
        f"of {count}, taking turns). Verified: signed, chain cached, as served, including the "
        "one log line per request (`cramp-relief serve` logs it), whose share is shown.",
        "",
        "| request | verified µs | x bare | its log line µs | verification off µs | x bare "
        "| bare route µs | verification alone µs | body bytes | ≤ 2.5x bare |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in result.rows:
        lines.append(
            f"| {row.scenario} | {row.verified_us:.0f} | {row.ratio:.2f} | "
            f"{row.log_line_us:.0f} | {row.unverified_us:.0f} | {row.unverified_ratio:.2f} | "
            f"{row.bare_us:.0f} | {row.verification_us:.0f} | {row.response_bytes} | "
            f"{verdict(row.ratio <= RATIO_TARGET)} |"
        )
    return lines
