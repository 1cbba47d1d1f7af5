"""The benchmark, in one run:  .venv/bin/python -m bench

1. server cost per request, in process (Flask test client), against a bare route;
2. the skill under gunicorn on 127.0.0.1, loaded by wrk at 1 and 16 connections;
3. cold start: process start to the first 200 from /alexa;
4. speech: every reply read by espeak-ng, against docs/voice.md's budgets;
5. peak RSS per gunicorn worker after the load;
6. ordinary requests while 0, 10 and 50 slow clients hold connections, per worker model;
7. certificate fetches under a flood of badly signed requests;
then PASS or MISS for each target. The report is printed and kept in bench/results/latest.md.
Needs wrk, espeak-ng and sox (Debian: apt-get install wrk espeak-ng sox); `--only serving` runs
sections 6 and 7 alone, which need none of them.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench import flood, inprocess, served, speech, stall
from bench.common import bench_ca, bench_parser, sign, verdict
from skill.envelopes import Conversation

RESULTS = Path(__file__).resolve().parent / "results"


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def http_lines(result: served.HttpResult, seconds: int) -> list[str]:
    lines = [
        f"2. Over HTTP: gunicorn as `cramp-relief serve` runs it ({len(result.workers)} workers "
        f"of its default class, gevent), verification on; wrk, 1 thread, {seconds} s per run, "
        "POST of a LaunchRequest signed just before the run",
        "",
        "| route | connections | requests/s | p50 ms | p99 ms | max ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for load in result.loads:
        route = "skill /alexa" if load.target == "/alexa" else "bare route"
        lines.append(
            f"| {route} | {load.connections} | {load.rps:.0f} | {load.p50_ms:.2f} | "
            f"{load.p99_ms:.2f} | {load.max_ms:.2f} | {load.errors} |"
        )
    lines += [
        "",
        f"An unsigned request to the same server: HTTP {result.unsigned_status} "
        "(verification is on).",
    ]
    return lines


def cold_lines(result: served.HttpResult) -> list[str]:
    runs = ", ".join(f"{value:.2f}" for value in result.cold_starts)
    return [
        "3. Cold start: `python -m bench.server` started → first 200 from /alexa (signed "
        f"LaunchRequest): {max(result.cold_starts):.2f} s at worst (runs: {runs} s)",
    ]


def memory_lines(result: served.HttpResult) -> list[str]:
    lines = ["5. Memory per gunicorn worker after the load", ""]
    lines += ["| worker pid | peak RSS (VmHWM) MiB | RSS now MiB |", "| ---: | ---: | ---: |"]
    for pid, kib in sorted(result.workers.items()):
        lines.append(f"| {pid} | {kib['VmHWM'] / 1024:.1f} | {kib['VmRSS'] / 1024:.1f} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser("bench", __doc__)
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--count", type=int, default=300, help="requests per timed round (300)")
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds in process (9)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts to time (3)")
    parser.add_argument("--speech-rows", type=int, default=25, help="speech rows printed (25)")
    parser.add_argument(
        "--slow-seconds", type=float, default=5.0, help="seconds per slow-client row (5)"
    )
    parser.add_argument("--flood", type=int, default=1000, help="requests in the flood (1000)")
    parser.add_argument(
        "--only", choices=["serving"], help="serving: sections 6 and 7 only (no wrk, espeak-ng)"
    )
    args = parser.parse_args(argv)
    if args.only == "serving":
        return serving_only(args)

    missing = served.check_tools() + speech.check_tools()
    if missing:
        parser.error(f"missing {', '.join(missing)}: apt-get install wrk espeak-ng sox")

    started = time.monotonic()
    load_before = _load()
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cramp-bench-") as scratch:
        workdir = Path(scratch)
        ca = bench_ca(workdir / "ca")

        _progress("1/4 in process")
        local = inprocess.run(ca, workdir, args.count, args.rounds)

        _progress("2/4 cold starts and wrk against gunicorn")
        launch = local.scenarios["launch"]
        over_http = served.run(
            workdir,
            sign(ca, launch),
            lambda: sign(ca, launch),
            {"launch": local.responses["launch"]},
            args.seconds,
            args.cold_runs,
        )

        _progress("3/4 speech")
        spoken = speech.run(workdir)

        _progress("4/4 slow clients per worker model, and a bad-signature flood")
        stalled = stall.run(workdir, lambda: sign(ca, launch), 200, args.slow_seconds)
        flooded = flood.run(ca, workdir, args.flood)

    c16 = next(x for x in over_http.loads if x.target == "/alexa" and x.connections == 16)
    errors = sum(load.errors for load in over_http.loads)
    worst_ratio = max(local.rows, key=lambda row: row.ratio)
    targets = [
        f"{verdict(local.passed())}  verified request at most {inprocess.RATIO_TARGET}x the bare "
        f"route, in process (worst: {worst_ratio.scenario} {worst_ratio.ratio:.2f}x)",
        f"{verdict(c16.p99_ms <= served.P99_TARGET_MS)}  p99 at most "
        f"{served.P99_TARGET_MS:.0f} ms at 16 connections ({c16.p99_ms:.2f} ms)",
        f"{verdict(max(over_http.cold_starts) <= served.COLD_START_TARGET_S)}  cold start at most "
        f"{served.COLD_START_TARGET_S} s ({max(over_http.cold_starts):.2f} s)",
        speech.passed_line(spoken),
        f"{verdict(errors == 0)}  no errors under load ({errors})",
        *serving_targets(stalled, flooded),
    ]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = [
        f"Cramp Relief benchmark, {now}: {_machine()}",
        f"load average before {load_before}, after {_load()}; "
        f"took {time.monotonic() - started:.0f} s",
        "",
        *inprocess.report(local, args.count, args.rounds),
        "",
        *http_lines(over_http, args.seconds),
        "",
        *cold_lines(over_http),
        "",
        *speech.report(spoken, args.speech_rows),
        "",
        *memory_lines(over_http),
        "",
        *serving_sections(stalled, flooded, args.slow_seconds),
        "",
        "Targets",
        "",
        *targets,
    ]
    _publish(report, "latest.md")
    (RESULTS / "speech.md").write_text("\n".join(speech.table(spoken.rows)) + "\n", "utf-8")
    return 0


def serving_sections(
    stalled: list[stall.Row], flooded: flood.Flood, slow_seconds: float
) -> list[str]:
    """Sections 6 and 7: slow clients per worker model, and the bad-signature flood."""
    return [*stall.report(stalled, 200, slow_seconds), "", *flood.report(flooded)]


def _publish(report: list[str], name: str) -> None:
    """Print the report and keep it as bench/results/`name`."""
    text = "\n".join(report) + "\n"
    print(text, end="")
    (RESULTS / name).write_text(text, "utf-8")


def serving_targets(stalled: list[stall.Row], flooded: flood.Flood) -> list[str]:
    return [
        f"{verdict(stall.passed(stalled))}  with up to 50 slow clients, every ordinary request "
        "answered within 1 s (serve's default worker model)",
        f"{verdict(flood.passed(flooded))}  a bad-signature flood fetches each canonical URL "
        f"at most once (at most {flooded.most_per_url}), and the real chain stays cached",
    ]


def serving_only(args: argparse.Namespace) -> int:
    """Sections 6 and 7 alone, kept in bench/results/serving.md."""
    started = time.monotonic()
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cramp-bench-") as scratch:
        workdir = Path(scratch)
        ca = bench_ca(workdir / "ca")
        launch = Conversation().launch()
        _progress("slow clients per worker model")
        stalled = stall.run(workdir, lambda: sign(ca, launch), 200, args.slow_seconds)
        _progress("bad-signature flood")
        flooded = flood.run(ca, workdir, args.flood)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = [
        f"Cramp Relief serving benchmark, {now}: {_machine()}",
        f"took {time.monotonic() - started:.0f} s",
        "",
        *serving_sections(stalled, flooded, args.slow_seconds),
        "",
        "Targets",
        "",
        *serving_targets(stalled, flooded),
    ]
    _publish(report, "serving.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
