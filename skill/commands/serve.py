"""`cramp-relief serve`: the skill under gunicorn.

`--dev` also trusts the local development CA that `cramp-relief simulate --url` signs with, in
addition to the real roots, and composes the app with the simulator's page (/simulator). It is
never on by default: anyone who can read the CA's folder could then speak to the skill as Alexa.
Without --dev the simulator is not even imported.
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from skill.app import create_app
from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.trust import DEV_CA_DIR_ENV, default_dev_ca_dir, dev_server_config

log = logging.getLogger(__name__)
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


class SkillServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn run from Python, so one command starts it with our settings."""

    def __init__(
        self, options: dict[str, Any], config: dict[str, Any], *, dev: bool = False
    ) -> None:
        self.options = options
        self.app_config = config
        self.dev = dev
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return build_app(self.app_config, dev=self.dev)


def build_app(config: dict[str, Any], *, dev: bool) -> Flask:
    """The skill's app; under --dev, with the simulator's page added to it."""
    app = create_app(config)
    if dev:
        # Imported here only: `serve` without --dev never loads the simulator.
        from skill.simulator import web

        web.register(app)
    return app


def _workers() -> int:
    return max(2, (os.cpu_count() or 1))


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve the skill endpoint (POST /alexa) with gunicorn"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--workers", type=int, default=_workers())
    parser.add_argument(
        "--dev",
        action="store_true",
        help="development only: also trust the local development CA that `cramp-relief "
        "simulate --url` signs with, and serve the /simulator page; never on a public endpoint",
    )
    parser.add_argument(
        "--dev-ca",
        type=Path,
        metavar="DIR",
        help=f"the development CA folder for --dev (default: ${DEV_CA_DIR_ENV}, else "
        "~/.cache/cramp-relief/dev-ca)",
    )
    parser.set_defaults(run=run)


def app_config(args: argparse.Namespace) -> dict[str, Any]:
    """The settings `serve` gives create_app: none at all unless --dev was asked for."""
    if not args.dev:
        return {}
    directory: Path = args.dev_ca or default_dev_ca_dir()
    ca = load_or_create_dev_ca(directory)
    bar = "!" * 78
    log.warning(
        "\n%s\nDEVELOPMENT MODE (serve --dev): requests signed by the local development CA in\n"
        "  %s\nare accepted as if Alexa sent them, and the /simulator page is on. Anyone who can\n"
        "read that folder can talk to this skill as Alexa. Never use --dev where Alexa or the\n"
        "internet can reach this server.\n%s",
        bar,
        directory,
        bar,
    )
    if args.host not in _LOOPBACK:
        log.warning("serve --dev is listening on %s, not only on this machine", args.host)
    return dev_server_config(ca, directory)


def run(args: argparse.Namespace) -> int:
    if args.dev_ca is not None and not args.dev:
        raise SystemExit("cramp-relief serve: --dev-ca is only used with --dev")
    config = app_config(args)
    options = {
        "bind": f"{args.host}:{args.port}",
        "workers": args.workers,
        # Logs go to stderr: gunicorn's own, and our one line per request.
        "errorlog": "-",
        "accesslog": None,
        "loglevel": "info",
        "preload_app": False,
        # gunicorn 27 puts its control socket at one path per user, so a second server (another
        # port, a --dev one beside a real one) would take it over; the skill does not use it.
        "control_socket_disable": True,
    }
    SkillServer(options, config, dev=args.dev).run()
    return 0
