"""The Flask app factory."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask

from skill import ops
from skill.config import DEFAULTS, ENV_PREFIX
from skill.content import ContentStore
from skill.data import data_dir
from skill.dispatch import build_skill
from skill.endpoint import SkillRuntime, blueprint
from skill.handlers import Services
from skill.locales import available_locales
from skill.metrics import CountedPersistence, Metrics
from skill.persistence import PersistenceError, SQLitePersistenceAdapter, load_or_create_salt
from skill.slots import SlotResolver
from skill.speech import Renderer
from skill.verification import RequestVerifier, default_cert_loader, load_trusted_roots

log = logging.getLogger(__name__)

DATABASE_NAME = "cramp-relief.sqlite3"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def database_path(app: Flask) -> Path:
    """The SQLite file: DATABASE if set, else one in the instance folder (created if missing)."""
    configured = app.config["DATABASE"]
    if configured:
        return Path(configured)
    try:
        os.makedirs(app.instance_path, exist_ok=True)
    except OSError as err:
        # Not fatal: without the folder the store fails on use, and that only loses resume.
        log.error("cannot create the instance folder %s: %s", app.instance_path, err.strerror)
    return Path(app.instance_path) / DATABASE_NAME


def open_persistence(path: Path) -> SQLitePersistenceAdapter | None:
    """The store for resuming routines, with its salt file beside it; None if the salt cannot be
    read or made (resume is then off for this process, and everything else works)."""
    try:
        salt = load_or_create_salt(path.with_name(f"{path.name}.salt"))
    except PersistenceError as err:
        log.error("resume across sessions is off: %s (DATABASE=%s)", err, path)
        return None
    return SQLitePersistenceAdapter(path, salt)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; settings from DEFAULTS, then CRAMP_RELIEF_* variables, then `config`."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(ENV_PREFIX)
    if config is not None:
        app.config.from_mapping(config)

    clock = app.config["CLOCK"] or _utc_now
    # Content is read and checked here, once: a missing or mistyped key stops the start.
    content = ContentStore(data_dir("responses"), app.config["DEFAULT_LOCALE"], available_locales())
    renderer = Renderer(content)
    services = Services(renderer=renderer, slots=SlotResolver(), clock=clock)
    metrics = Metrics()
    verifier: RequestVerifier | None = None
    if app.config["VERIFY_REQUESTS"]:
        roots = load_trusted_roots(app.config["TRUSTED_ROOTS"])
        extra_roots: bytes | None = app.config["EXTRA_TRUSTED_ROOTS_PEM"]
        if extra_roots:
            roots = roots.rstrip(b"\n") + b"\n" + extra_roots
        verifier = RequestVerifier(
            roots,
            cert_loader=app.config["CERT_LOADER"] or default_cert_loader,
            clock=clock,
            observe=metrics.certificate,
        )
    else:
        log.warning(
            "REQUEST VERIFICATION IS OFF: any caller can talk to this skill. "
            "Use this only with a local simulator, never with real Alexa traffic."
        )
    store = open_persistence(database_path(app))
    persistence = None if store is None else CountedPersistence(store, metrics.persistence_error)
    app.extensions["cramp_relief"] = SkillRuntime(
        skill=build_skill(services, persistence),
        verifier=verifier,
        clock=clock,
        skill_id=app.config["SKILL_ID"],
        max_body_bytes=int(app.config["MAX_BODY_BYTES"]),
        metrics=metrics,
    )
    app.extensions[ops.EXTENSION] = ops.Operations(
        metrics=metrics,
        persistence=persistence,
        content_problem=lambda: None if content.locales else "no content was loaded",
    )
    app.register_blueprint(blueprint)
    app.register_blueprint(ops.blueprint)
    return app
