"""Storage backends side by side:  .venv/bin/python -m bench.storage

1. Server cost per request, in process, with each backend as DATABASE: SQLite (a local file),
   PostgreSQL (a throwaway cluster from Debian's packages, over a Unix socket) and DynamoDB
   (moto's standalone server on 127.0.0.1, a stand-in, not AWS). Verification and replay refusal
   on, so every request also records its request id. Each timed request is signed beforehand with
   its own request id (a replay would be refused); the backends take turns round by round and
   the fastest round counts.
2. Throughput: people moving between two `cramp-relief serve` processes (2 workers each),
   with PostgreSQL shared, against the same two processes sharing one SQLite file.

Needs PostgreSQL (apt-get install postgresql) and the test extras (moto[server], boto3).
The report is printed and kept in bench/results/storage.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from bench.common import ALEXA_PATH, Signed, bench_ca, bench_parser, interleaved, sign
from skill.app import create_app
from skill.devtools.devca import DevCA
from skill.devtools.devdb import MOTO_ENV, MotoServer, PostgresCluster, postgres_bin_dir
from skill.devtools.two_hosts import ServeProcess, run_people
from skill.envelopes import DEFAULT_SKILL_ID, Conversation

RESULTS = Path(__file__).resolve().parent / "results"
BASELINE = "SQLite, replay check off"
# What each timed request does with the store, besides recording its request id.
SCENARIOS: Final = MappingProxyType(
    {
        "step": "next, mid-routine (no read or write of the place)",
        "stop": "stop mid-routine (reads the row, saves the place)",
        "launch": "launch (reads the row for an offer)",
    }
)


def _progress(message: str) -> None:
    print(f"[bench.storage] {message}", file=sys.stderr, flush=True)


def _templates(conversation: Conversation, post: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """The envelopes to time, from a live conversation: a step, a stop, a launch."""
    conversation.receive(post(conversation.launch()))
    conversation.receive(post(conversation.intent("GuidedStretchIntent")))
    return {
        "step": conversation.intent("AMAZON.NextIntent"),
        "stop": conversation.intent("AMAZON.StopIntent"),
        "launch": conversation.launch(),
    }


def _fresh(ca: DevCA, template: dict[str, Any], count: int) -> Iterator[Signed]:
    """`count` copies of `template`, each with its own request id, signed."""
    for _ in range(count):
        inner = {**template["request"], "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}"}
        yield sign(ca, {**template, "request": inner})


def in_process(
    ca: DevCA, urls: dict[str, str], count: int, rounds: int
) -> dict[str, dict[str, float]]:
    """Per-request µs of each scenario with each backend, taking turns; BASELINE is SQLite with
    the replay check off (no write for the request id), to show what that check costs."""
    calls: dict[str, Callable[[], object]] = {}
    apps = []
    for backend, url in {BASELINE: urls["SQLite"], **urls}.items():
        app = create_app(
            {
                "SKILL_ID": DEFAULT_SKILL_ID,
                "EXTRA_TRUSTED_ROOTS_PEM": ca.root_pem,
                "CERT_LOADER": ca.loader,
                "DATABASE": url,
                "REFUSE_REPLAYS": backend != BASELINE,
            }
        )
        apps.append(app)
        client = app.test_client()

        def post(envelope: dict[str, Any], client: Any = client) -> Any:
            signed = sign(ca, envelope)
            reply = client.post(ALEXA_PATH, data=signed.body, headers=signed.headers)
            if reply.status_code != 200:
                raise RuntimeError(f"recording a conversation got HTTP {reply.status_code}")
            return reply.get_json()

        templates = _templates(Conversation(), post)
        for scenario, template in templates.items():
            needed = max(1, count // 5) + rounds * count
            queue = iter(list(_fresh(ca, {**template}, needed)))

            def call(client: Any = client, queue: Iterator[Signed] = queue) -> None:
                signed = next(queue)
                reply = client.post(ALEXA_PATH, data=signed.body, headers=signed.headers)
                if reply.status_code != 200:
                    raise RuntimeError(f"HTTP {reply.status_code}")

            calls[f"{backend}/{scenario}"] = call
    # The request log line would be the same for every backend; leave it out of the comparison.
    logging.getLogger("skill.requests").setLevel(logging.WARNING)
    timed = interleaved(calls, count, rounds)
    for app in apps:
        store = app.extensions["cramp_relief"].store
        if store is not None:
            store.close()
    results: dict[str, dict[str, float]] = {}
    for key, value in timed.items():
        backend, scenario = key.split("/")
        results.setdefault(backend, {})[scenario] = value
    return results


def throughput(database: str, ca_dir: Path, users: int) -> tuple[float, float, int]:
    """requests/s and seconds for `users` people across two serve processes on `database`."""
    hosts = [ServeProcess(database, ca_dir), ServeProcess(database, ca_dir)]
    try:
        outcome, _ = run_people(ca_dir, (hosts[0].port, hosts[1].port), users)
    finally:
        for host in hosts:
            host.stop()
    return outcome.requests / outcome.seconds, outcome.seconds, len(outcome.problems)


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser("bench.storage", __doc__)
    parser.add_argument("--count", type=int, default=200, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--users", type=int, default=300, help="people in the throughput run")
    args = parser.parse_args(argv)
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        parser.error("PostgreSQL is not installed (apt-get install postgresql)")
    os.environ.update(MOTO_ENV)
    with tempfile.TemporaryDirectory(prefix="cramp-bench-storage-") as tmp:
        work = Path(tmp)
        ca = bench_ca(work / "ca")
        _progress("starting PostgreSQL and moto")
        cluster = PostgresCluster(bin_dir)
        cluster.start()
        moto = MotoServer()
        try:
            urls = {
                "SQLite": str(work / "bench.sqlite3"),
                "PostgreSQL": cluster.new_database("bench"),
                "DynamoDB (moto)": moto.url("bench"),
            }
            from skill.storage import open_store

            for url in urls.values():
                store = open_store(url, str(work))
                store.migrate()
                store.close()
            _progress(f"in process: {args.rounds} rounds of {args.count} per request and backend")
            costs = in_process(ca, urls, args.count, args.rounds)
            _progress(f"throughput: {args.users} people across two serve processes")
            shared_pg = throughput(cluster.new_database("people"), work / "ca", args.users)
            shared_sqlite = throughput(str(work / "people.sqlite3"), work / "ca", args.users)
        finally:
            moto.remove()
            cluster.remove()
    report = _report(costs, shared_pg, shared_sqlite, args)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "storage.md").write_text(report + "\n", "utf-8")
    return 0 if shared_pg[2] == 0 and shared_sqlite[2] == 0 else 1


def _report(
    costs: dict[str, dict[str, float]],
    shared_pg: tuple[float, float, int],
    shared_sqlite: tuple[float, float, int],
    args: argparse.Namespace,
) -> str:
    backends = list(costs)
    lines = [
        f"1. Server cost per request, in process (fastest of {args.rounds} rounds of "
        f"{args.count}, backends taking turns), verification on, replay refusal on except in "
        "the first column, request log line off:",
        "",
        "| request | " + " | ".join(f"{b} µs" for b in backends) + " |",
        "| --- | " + " | ".join("---:" for _ in backends) + " |",
    ]
    for scenario, meaning in SCENARIOS.items():
        cells = " | ".join(f"{costs[b][scenario]:.0f}" for b in backends)
        lines.append(f"| {scenario}: {meaning} | {cells} |")
    lines += [
        "",
        f"2. Throughput: {args.users} people, 16 at a time, each starting a routine on one serve "
        "process and continuing on the other (7-9 requests each), two serve processes with 2 "
        "workers each (serve's default worker class) on this machine, client on the same machine:",
        "",
        "| shared database | requests/s | seconds | problems |",
        "| --- | ---: | ---: | ---: |",
        f"| PostgreSQL (Unix socket) | {shared_pg[0]:.0f} | {shared_pg[1]:.1f} | {shared_pg[2]} |",
        f"| one SQLite file | {shared_sqlite[0]:.0f} | {shared_sqlite[1]:.1f} | "
        f"{shared_sqlite[2]} |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
