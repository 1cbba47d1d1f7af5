"""The soak: the skill under gunicorn at full speed for 60 s, mixed requests.

    .venv/bin/python -m bench.soak

One conversation of every kind the skill answers (launch, relief for four places, still cramping,
cause, tip, doctor, help, fallback, repeat, a guided stretch walked three steps, repeat, stop in
the middle of it, which writes the resume store, a launch that offers to resume, session end,
CanFulfill), recorded in process so each envelope carries the session attributes the skill really
returned, then signed and posted by wrk in turn over 16 connections to the server of
`python -m bench.server` (verification on). A warm-up run first, then the timed run.

Passes when wrk saw no error and no non-2xx answer, the server logged no failure, no worker was
replaced, and each worker's RSS at the end is within 10% of its RSS after the warm-up.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import (
    app_config,
    bench_ca,
    bench_parser,
    client_poster,
    mixed_conversation,
    sign,
    verdict,
)
from bench.served import Server, check_tools, memory_kib, run_wrk
from skill.app import create_app

RESULTS = Path(__file__).resolve().parent / "results"
RSS_GROWTH_LIMIT = 0.10
FAILURE_MARKS = ("Traceback", "unexpected failure", "handler failed", "WORKER TIMEOUT")


def _sample_rss(server: Server, stop: threading.Event, every: float, into: list[str]) -> None:
    started = time.monotonic()
    while not stop.wait(every):
        sizes = [memory_kib(pid)["VmRSS"] / 1024 for pid in server.worker_pids()]
        shown = ", ".join(f"{size:.1f}" for size in sizes)
        into.append(f"  t={time.monotonic() - started:4.0f} s  RSS per worker MiB: {shown}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser("bench.soak", __doc__)
    parser.add_argument("--seconds", type=int, default=60, help="length of the timed run (60)")
    parser.add_argument("--warmup", type=int, default=10, help="length of the warm-up (10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 600 or not 1 <= args.warmup <= 120:
        parser.error("keep the run between 1 and 600 s and the warm-up between 1 and 120 s")
    missing = check_tools()
    if missing:
        parser.error(f"missing {', '.join(missing)}: apt-get install wrk")

    with tempfile.TemporaryDirectory(prefix="cramp-soak-") as scratch:
        workdir = Path(scratch)
        ca = bench_ca(workdir / "ca")
        recorder = create_app(app_config(ca, workdir / "record.sqlite3")).test_client()
        envelopes = mixed_conversation(client_poster(recorder, ca))

        server = Server(workdir)
        samples: list[str] = []
        try:
            server.first_200("/alexa", sign(ca, envelopes[0]))
            warm = run_wrk(
                server.port,
                "/alexa",
                [sign(ca, e) for e in envelopes],
                args.connections,
                args.warmup,
                workdir,
            )
            workers = server.worker_pids()
            after_warmup = {pid: memory_kib(pid)["VmRSS"] for pid in workers}
            stop = threading.Event()
            sampler = threading.Thread(
                target=_sample_rss, args=(server, stop, 10.0, samples), daemon=True
            )
            sampler.start()
            # Signed again just before the run: every timestamp stays well inside 150 s.
            soak = run_wrk(
                server.port,
                "/alexa",
                [sign(ca, e) for e in envelopes],
                args.connections,
                args.seconds,
                workdir,
            )
            stop.set()
            sampler.join()
            at_end = {pid: memory_kib(pid) for pid in server.worker_pids()}
        finally:
            server.stop()
        log = server.log_path.read_text("utf-8", "replace")

    failures = sum(log.count(mark) for mark in FAILURE_MARKS)
    same_workers = sorted(at_end) == sorted(after_warmup)
    growth = {
        pid: (at_end[pid]["VmRSS"] - after_warmup[pid]) / after_warmup[pid]
        for pid in after_warmup
        if pid in at_end
    }
    flat = same_workers and all(abs(change) <= RSS_GROWTH_LIMIT for change in growth.values())
    lines = [
        f"Soak: {len(envelopes)} different requests in turn, {args.connections} connections, "
        f"warm-up {args.warmup} s ({warm.requests} requests, {warm.errors} errors), then "
        f"{soak.seconds:.0f} s",
        "",
        f"requests {soak.requests} ({soak.rps:.0f}/s), errors {soak.errors} "
        f"(non-2xx {soak.status_errors}), p50 {soak.p50_ms:.2f} ms, p99 {soak.p99_ms:.2f} ms, "
        f"max {soak.max_ms:.2f} ms; failures in the server log: {failures}",
        "",
        "| worker pid | RSS after warm-up MiB | RSS at end MiB | change | peak MiB |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for pid in sorted(after_warmup):
        end = at_end.get(pid)
        if end is None:
            lines.append(f"| {pid} | {after_warmup[pid] / 1024:.1f} | gone | | |")
            continue
        lines.append(
            f"| {pid} | {after_warmup[pid] / 1024:.1f} | {end['VmRSS'] / 1024:.1f} | "
            f"{growth[pid]:+.1%} | {end['VmHWM'] / 1024:.1f} |"
        )
    lines += ["", "RSS during the run:", *samples, ""]
    lines += [
        f"{verdict(soak.errors == 0 and warm.errors == 0 and failures == 0)}  zero errors",
        f"{verdict(flat)}  RSS at the end within {RSS_GROWTH_LIMIT:.0%} of RSS after warm-up, "
        "same workers throughout",
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak.md").write_text(text, "utf-8")
    return 0 if soak.errors == 0 and failures == 0 and flat else 1


if __name__ == "__main__":
    sys.exit(main())
