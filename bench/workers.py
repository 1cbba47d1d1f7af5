"""What gevent costs at full load: wrk at 16 connections against sync and gevent workers, side by
side, with kept-alive connections and with a new connection per request (as nginx sends them).

    .venv/bin/python -m bench.workers [--seconds 5] [--rounds 2]

Needs Debian's wrk. Only 127.0.0.1 is loaded; each server is stopped by its own process id.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.common import Signed, bench_ca, bench_parser, sign
from bench.served import Server, check_tools, run_wrk
from skill.envelopes import Conversation

CONNECTIONS = 16


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser("bench.workers", __doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    if check_tools():
        parser.error("missing wrk: apt-get install wrk")
    print(
        "| round | worker class | connections kept alive | requests/s | p50 ms | p99 ms | max ms |"
    )
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="cramp-bench-") as scratch:
        workdir = Path(scratch)
        ca = bench_ca(workdir / "ca")
        launch = Conversation().launch()
        for round_ in range(1, args.rounds + 1):
            for worker_class in ("sync", "gevent"):
                server = Server(workdir, workers=2, extra=["--worker-class", worker_class])
                try:
                    server.first_200("/alexa", sign(ca, launch))
                    run_wrk(server.port, "/alexa", [sign(ca, launch)], 4, 2, workdir)
                    for kept in (True, False):
                        signed = sign(ca, launch)
                        if not kept:
                            signed = Signed(signed.body, {**signed.headers, "Connection": "close"})
                        load = run_wrk(
                            server.port, "/alexa", [signed], CONNECTIONS, args.seconds, workdir
                        )
                        print(
                            f"| {round_} | {worker_class} | {'yes' if kept else 'no'} | "
                            f"{load.rps:.0f} | {load.p50_ms:.2f} | {load.p99_ms:.2f} | "
                            f"{load.max_ms:.2f} |",
                            flush=True,
                        )
                finally:
                    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
