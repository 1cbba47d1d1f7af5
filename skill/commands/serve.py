"""`cramp-relief serve`: the skill under gunicorn.

By default each worker is skill.worker.SkillWorker (gevent, with per-request deadlines), so
clients that send slowly, or not at all, cannot stall the answers to everyone else; see the
README's "Serving it to Alexa" section and bench/stall.py for why and by how much. gunicorn settings
come from our defaults, then GUNICORN_CMD_ARGS, then the options given here.

`--dev` also trusts the local development CA that `cramp-relief simulate --url` signs with, in
addition to the real roots, and composes the app with the simulator's page (/simulator). It is
never on by default: anyone who can read the CA's folder could then speak to the skill as Alexa.
Without --dev neither the simulator nor the CA's code is even imported. It listens on this
machine only, unless `--dev-allow-remote` says otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from flask import Flask
from gunicorn.app.base import BaseApplication

from skill.app import create_app
from skill.devtools.ca_dir import DEV_CA_DIR_ENV, default_dev_ca_dir

log = logging.getLogger(__name__)
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
WORKER_CLASSES: Final = MappingProxyType(
    {
        "gevent": "skill.worker.SkillWorker",
        "gthread": "gthread",
        "sync": "sync",
    }
)
DEFAULT_WORKER_CLASS: Final = "gevent"
# Alexa gives up on an answer after 8 s; a request still unread or unanswered by then is useless.
DEFAULT_TIMEOUT_SECONDS: Final = 10
# Under gevent, the request line and headers must arrive within this many seconds.
KEEPALIVE_SECONDS: Final = 5
MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"


class SkillServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn run from Python, so one command starts it with our settings.

    `options` are our defaults, overridden by GUNICORN_CMD_ARGS, overridden by `explicit`.
    """

    def __init__(
        self,
        options: dict[str, Any],
        config: dict[str, Any],
        explicit: dict[str, Any] | None = None,
        *,
        dev: bool = False,
    ) -> None:
        self.options = options
        self.explicit = explicit or {}
        self.app_config = config
        self.dev = dev
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        from_env = self.cfg.parser().parse_args(self.cfg.get_cmd_args_from_env())
        for key, value in vars(from_env).items():
            if value is not None and key != "args":
                self.cfg.set(key.lower(), value)
        for key, value in self.explicit.items():
            self.cfg.set(key, value)
        # gunicorn reads a request's headers under the keep-alive timeout only when keep-alive
        # is on: at 0, a client could send them a byte a minute and hold its greenlet for ever.
        if self.cfg.worker_class_str == WORKER_CLASSES["gevent"] and self.cfg.keepalive < 1:
            raise SystemExit(
                "cramp-relief serve: keep-alive must be at least 1 second with the gevent "
                "worker (it is also how long a request's headers may take); "
                "GUNICORN_CMD_ARGS asked for --keep-alive 0"
            )

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


def default_workers() -> int:
    return max(2, (os.cpu_count() or 1))


def gunicorn_options(bind: str) -> dict[str, Any]:
    """Our gunicorn defaults (the benchmark's server uses the same)."""
    return {
        "bind": bind,
        "workers": default_workers(),
        "worker_class": WORKER_CLASSES[DEFAULT_WORKER_CLASS],
        "timeout": DEFAULT_TIMEOUT_SECONDS,
        "keepalive": KEEPALIVE_SECONDS,
        # Logs go to stderr: gunicorn's own, and our one line per request.
        "errorlog": "-",
        "accesslog": None,
        "loglevel": "info",
        "preload_app": False,
        # gunicorn 27 puts its control socket at one path per user, so a second server (another
        # port, a --dev one beside a real one) would take it over; the skill does not use it.
        "control_socket_disable": True,
    }


def explicit_options(args: argparse.Namespace) -> dict[str, Any]:
    """The gunicorn settings given on the command line (they beat GUNICORN_CMD_ARGS)."""
    chosen: dict[str, Any] = {}
    if args.workers is not None:
        chosen["workers"] = args.workers
    if args.worker_class is not None:
        chosen["worker_class"] = WORKER_CLASSES.get(args.worker_class, args.worker_class)
    if args.timeout is not None:
        chosen["timeout"] = args.timeout
    return chosen


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--workers", type=int, help=f"worker processes (default: {default_workers()})"
    )
    parser.add_argument(
        "--worker-class",
        metavar="CLASS",
        help=f"{', '.join(WORKER_CLASSES)} or a gunicorn worker class path (default: "
        f"{DEFAULT_WORKER_CLASS}, which slow clients cannot stall)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        metavar="SECONDS",
        help="a request whose body and answer take longer is cut off; a worker silent this "
        f"long is restarted (default: {DEFAULT_TIMEOUT_SECONDS})",
    )
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
    parser.add_argument(
        "--dev-allow-remote",
        action="store_true",
        help="let --dev listen on an address other machines can reach (dangerous: anyone who "
        "reaches it can read and change any user's saved place)",
    )
    parser.set_defaults(run=run)


def app_config(args: argparse.Namespace) -> dict[str, Any]:
    """The settings `serve` gives create_app: none at all unless --dev was asked for."""
    if not args.dev:
        return {}
    # Imported here only: `serve` without --dev never loads the development CA's code.
    from skill.devtools.ca_folder import load_or_create_dev_ca
    from skill.devtools.trust import dev_server_config

    directory: Path = args.dev_ca or default_dev_ca_dir()
    ca = load_or_create_dev_ca(directory)
    log.warning("DEVELOPMENT MODE (serve --dev): requests signed by the local development CA in")
    log.warning(
        "  %s are accepted as if Alexa sent them, and the /simulator page is on.", directory
    )
    log.warning("Anyone who can read that folder can talk to this skill as Alexa.")
    config = dev_server_config(ca, directory)
    if args.host not in _LOOPBACK:
        log.warning("serve --dev is listening on %s, not only on this machine", args.host)
        config["DEV_ALLOWED_HOSTS"] = [*sorted(_LOOPBACK), args.host.lower()]
    return config


def _refuse_remote_dev(args: argparse.Namespace) -> None:
    if not args.dev or args.host in _LOOPBACK:
        return
    why = (
        f"--dev on {args.host} lets anyone who can reach this machine use /simulator/say with "
        "any user id (reading and overwriting other people's saved places), and accepts "
        "requests signed by the development CA, whose keys sit unprotected in its folder."
    )
    if not args.dev_allow_remote:
        raise SystemExit(f"cramp-relief serve: {why} Add --dev-allow-remote if you mean it.")
    print(f"cramp-relief serve: WARNING: {why}", file=sys.stderr)


@contextlib.contextmanager
def metrics_folder() -> Iterator[None]:
    """A private PROMETHEUS_MULTIPROC_DIR for this server's workers, unless one is set already.

    prometheus-client's multiprocess mode is chosen when it is first imported, so this must be
    set before the workers load the app (they do, after the fork). Removed when the server stops,
    by this process only: forked workers unwind through here too.
    """
    if os.environ.get(MULTIPROC_ENV):
        yield
        return
    owner = os.getpid()
    folder = tempfile.mkdtemp(prefix="cramp-relief-metrics-")
    os.environ[MULTIPROC_ENV] = folder
    try:
        yield
    finally:
        if os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)


def start_alexa_api(directory: Path) -> dict[str, Any]:
    """--dev: the offline stand-in of Alexa's Reminders and settings APIs, in this (gunicorn's
    master) process, shared by every worker; its address is published in the CA folder for
    `simulate --url`. The settings that point the app at it."""
    from skill.simulator.alexa_api import AlexaApiStandIn
    from skill.simulator.alexa_api_link import AlexaApiLink

    stand_in = AlexaApiStandIn().start()
    link = AlexaApiLink(stand_in.endpoint, str(stand_in.ca_file))
    link.publish(directory)
    log.warning("serve --dev: Alexa's Reminders API is the offline stand-in at %s", link.endpoint)
    return link.app_config()


def run(args: argparse.Namespace) -> int:
    if args.dev_ca is not None and not args.dev:
        raise SystemExit("cramp-relief serve: --dev-ca is only used with --dev")
    if args.dev_allow_remote and not args.dev:
        raise SystemExit("cramp-relief serve: --dev-allow-remote is only used with --dev")
    _refuse_remote_dev(args)
    config = app_config(args)
    if args.dev:
        config.update(start_alexa_api(args.dev_ca or default_dev_ca_dir()))
    with metrics_folder():
        host = f"[{args.host}]" if ":" in args.host else args.host
        options = gunicorn_options(f"{host}:{args.port}")
        if args.dev:
            options["when_ready"] = announce_simulator
        server = SkillServer(options, config, explicit_options(args), dev=args.dev)
        server.run()
    return 0


def announce_simulator(server: Any) -> None:
    """gunicorn's when_ready hook under --dev: where the browser simulator is, once listening
    (so the address is the one bound, even for --port 0)."""
    for listener in server.LISTENERS:
        # A TCP listener prints as its URL, http://host:port (IPv6 in brackets).
        log.warning("Browser simulator: %s/simulator/", str(listener).rstrip("/"))
