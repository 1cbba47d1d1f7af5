"""The skill under gunicorn, as `cramp-relief serve` runs it, trusting the benchmark's dev CA.

    python -m bench.server --port 8089 --workdir DIR

Same gunicorn options as `serve` (skill.commands.serve.gunicorn_options: its default worker
class unless --worker-class says otherwise, two workers on two cores, request log lines on
stderr), the same create_app, and production settings (certifi's roots and a skill id) with the
development CA in DIR/ca trusted beside them; its certificate loader serves only that CA's chain,
so no request leaves the machine. The database goes in DIR. Started and stopped by bench.http.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import add_bare_routes, app_config, bare_bodies_from_env, bench_ca, bench_parser
from skill import logs
from skill.commands.serve import WORKER_CLASSES, SkillServer, gunicorn_options, metrics_folder


class BenchServer(SkillServer):
    """`serve`'s gunicorn application, with the bare baseline routes added to each worker's app."""

    def load(self) -> Any:
        app = super().load()
        add_bare_routes(app, bare_bodies_from_env())
        return app


def main(argv: Sequence[str] | None = None) -> int:
    parser = bench_parser("bench.server", __doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    # As `serve` sizes it: at least two, one per core.
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 1))
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--worker-class", choices=sorted(WORKER_CLASSES))
    parser.add_argument("--timeout", type=int)
    parser.add_argument("--threads", type=int, help="threads per gthread worker")
    args = parser.parse_args(argv)
    if args.host not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("the benchmark server listens on this machine only")
    # As the `cramp-relief` command does: one log line per request, on stderr.
    logs.configure(logging.INFO)
    config = app_config(bench_ca(args.workdir / "ca"), args.workdir / "cramp-relief.sqlite3")
    options = {**gunicorn_options(f"{args.host}:{args.port}"), "workers": args.workers}
    if args.worker_class:
        options["worker_class"] = WORKER_CLASSES[args.worker_class]
    if args.timeout:
        options["timeout"] = args.timeout
    if args.threads:
        options["threads"] = args.threads
    with metrics_folder():
        BenchServer(options, config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
