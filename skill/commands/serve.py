"""`cramp-relief serve`: the skill under gunicorn."""

from __future__ import annotations

import argparse
import os
from typing import Any

from gunicorn.app.base import BaseApplication

from skill.app import create_app


class SkillServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn run from Python, so one command starts it with our settings."""

    def __init__(self, options: dict[str, Any], config: dict[str, Any]) -> None:
        self.options = options
        self.app_config = config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return create_app(self.app_config)


def _workers() -> int:
    return max(2, (os.cpu_count() or 1))


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve the skill endpoint (POST /alexa) with gunicorn"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--workers", type=int, default=_workers())
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = {
        "bind": f"{args.host}:{args.port}",
        "workers": args.workers,
        # Logs go to stderr: gunicorn's own, and our one line per request.
        "errorlog": "-",
        "accesslog": None,
        "loglevel": "info",
        "preload_app": False,
    }
    SkillServer(options, {}).run()
    return 0
