"""The skill under gunicorn, as `cramp-relief serve` runs it, trusting the benchmark's dev CA.

    python -m bench.server --port 8089 --workdir DIR

Same gunicorn options as `serve` (sync workers, two on two cores, request log lines on stderr),
the same create_app, and production settings (certifi's roots and a skill id) with the
development CA in DIR/ca trusted beside them; its certificate loader serves only that CA's chain,
so no request leaves the machine. The database goes in DIR. Started and stopped by bench.http.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import add_bare_routes, app_config, bare_bodies_from_env, bench_ca
from skill.commands.serve import SkillServer


class BenchServer(SkillServer):
    """`serve`'s gunicorn application, with the bare baseline routes added to each worker's app."""

    def load(self) -> Any:
        app = super().load()
        add_bare_routes(app, bare_bodies_from_env())
        return app


def options(bind: str, workers: int) -> dict[str, Any]:
    """gunicorn settings: those of `cramp-relief serve` (skill/commands/serve.py)."""
    return {
        "bind": bind,
        "workers": workers,
        "errorlog": "-",
        "accesslog": None,
        "loglevel": "info",
        "preload_app": False,
        # As in `serve`: gunicorn's control socket has one default path per user
        # (~/.gunicorn/gunicorn.ctl), which servers started side by side would fight over.
        "control_socket_disable": True,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    # As `serve` sizes it: at least two, one per core.
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 1))
    parser.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.host not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("the benchmark server listens on this machine only")
    # As the `cramp-relief` command does: one log line per request, on stderr.
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    config = app_config(bench_ca(args.workdir / "ca"), args.workdir / "cramp-relief.sqlite3")
    BenchServer(options(f"{args.host}:{args.port}", args.workers), config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
