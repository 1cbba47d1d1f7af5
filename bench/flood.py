"""Section 7: certificate fetches under a flood of requests with bad signatures.

In process, through the whole /alexa endpoint: `count` requests, none validly signed, naming in
turn a new certificate URL every time, spellings of the real URL (query strings, case, :443,
dot segments, double slashes, fragments), and the real URL. The certificate loader stands in for
S3: it serves the development chain at its URL and fails every other one, and counts fetches.
"""

from __future__ import annotations

import base64
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.common import app_config
from skill import create_app
from skill.devtools.devca import DevCA
from skill.envelopes import Conversation, timestamp

BAD_SIGNATURE = base64.b64encode(b"\x01" * 256).decode()


@dataclass(frozen=True)
class Flood:
    requests: int
    seconds: float
    statuses: dict[int, int]
    fetches: int
    distinct_fetched: int
    most_per_url: int
    good_status: int
    good_fetches_after: int


def _spellings(good: str, index: int) -> str:
    path = good.removeprefix("https://s3.amazonaws.com")
    variants = [
        f"https://s3.amazonaws.com/echo.api/flood-{index}.pem",
        f"{good}?n={index}",
        f"HTTPS://S3.AMAZONAWS.COM{path}",
        f"https://s3.amazonaws.com:443{path}",
        f"https://s3.amazonaws.com/echo.api/./{path.removeprefix('/echo.api/')}",
        f"https://s3.amazonaws.com/echo.api//{path.removeprefix('/echo.api/')}",
        f"{good}#{index}",
        good,
    ]
    return variants[index % len(variants)]


def run(ca: DevCA, workdir: Path, count: int) -> Flood:
    fetched: list[str] = []

    def loader(url: str) -> bytes:
        fetched.append(url)
        return ca.loader(url)

    config = {**app_config(ca, workdir / "flood.sqlite3"), "CERT_LOADER": loader}
    client = create_app(config).test_client()
    envelope = Conversation().launch()
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    for index in range(count):
        fresh = {**envelope, "request": {**envelope["request"], "timestamp": timestamp()}}
        headers = {
            "Content-Type": "application/json",
            "SignatureCertChainUrl": _spellings(ca.cert_url, index),
            "Signature-256": BAD_SIGNATURE,
        }
        reply = client.post("/alexa", data=json.dumps(fresh), headers=headers)
        statuses[reply.status_code] += 1
    seconds = time.perf_counter() - started
    during = len(fetched)
    # After the flood, a genuinely signed request: the good chain must still be cached.
    body = json.dumps(Conversation().launch()).encode()
    good = client.post(
        "/alexa", data=body, headers={"Content-Type": "application/json", **ca.sign(body)}
    )
    per_url = Counter(fetched[:during])
    return Flood(
        requests=count,
        seconds=seconds,
        statuses=dict(statuses),
        fetches=during,
        distinct_fetched=len(per_url),
        most_per_url=max(per_url.values(), default=0),
        good_status=good.status_code,
        good_fetches_after=fetched[during:].count(ca.cert_url),
    )


def report(flood: Flood) -> list[str]:
    statuses = ", ".join(f"HTTP {code}: {n}" for code, n in sorted(flood.statuses.items()))
    return [
        f"7. Bad-signature flood: {flood.requests} requests in {flood.seconds:.1f} s, in "
        "process, each naming a new certificate URL or a spelling of the real one "
        f"({statuses}).",
        f"   Certificate fetches: {flood.fetches} in all, of {flood.distinct_fetched} distinct "
        f"canonical URLs, at most {flood.most_per_url} per URL; a genuinely signed request "
        f"afterwards got HTTP {flood.good_status} and fetched the real chain again "
        f"{flood.good_fetches_after} times.",
    ]


def passed(flood: Flood) -> bool:
    return flood.most_per_url <= 1 and flood.good_status == 200 and flood.good_fetches_after == 0
