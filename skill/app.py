"""The Flask app factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Flask

from skill import ops, privacy
from skill.alexa_api import AMAZON_ENDPOINTS, AlexaApiAccess
from skill.apl.documents import AplDocuments
from skill.config import DEFAULTS, ENV_PREFIX
from skill.content import ContentStore
from skill.content.slot_content import check_slot_content
from skill.conversation.reminder_talk import Reminders
from skill.data import data_dir
from skill.dispatch import build_skill
from skill.endpoint import SkillRuntime, blueprint
from skill.handlers import Services
from skill.locales import available_locales
from skill.metrics import CountedPersistence, Metrics
from skill.slots import SlotResolver
from skill.speech import Renderer
from skill.storage import PersistenceError, ReplayGuard, Store, open_store
from skill.verification import RequestVerifier, default_cert_loader, load_trusted_roots

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def open_persistence(app: Flask) -> Store | None:
    """The store DATABASE names; None if it cannot be set up (resume and cross-host replay
    checks are then off for this process, and everything else works)."""
    try:
        store = open_store(
            app.config["DATABASE"],
            app.instance_path,
            timeout=float(app.config["DATABASE_TIMEOUT"]),
            pool_size=int(app.config["DATABASE_POOL_SIZE"]),
        )
    except PersistenceError as err:
        log.error("resume across sessions is off: %s", err)
        return None
    log.info("persistence: %s", store.describe())
    return store


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; settings from DEFAULTS, then CRAMP_RELIEF_* variables, then `config`."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(ENV_PREFIX)
    if config is not None:
        app.config.from_mapping(config)

    clock = app.config["CLOCK"] or _utc_now
    # Content is read and checked here, once: a missing or mistyped key stops the start.
    locales = available_locales()
    content = ContentStore(data_dir("responses"), app.config["DEFAULT_LOCALE"], locales)
    # The interaction models too: a malformed one stops the start, not a locale's first request.
    slots = SlotResolver.load(locales)
    check_slot_content(content, slots.models)
    renderer = Renderer(content)
    # APL documents too: a broken one stops the start, like broken content.
    screens = AplDocuments(data_dir("responses"), app.config["DEFAULT_LOCALE"])
    api = AlexaApiAccess(
        app.config["ALEXA_API_ENDPOINTS"] or AMAZON_ENDPOINTS,
        timeout=float(app.config["ALEXA_API_TIMEOUT"]),
        ca_file=app.config["ALEXA_API_CA_FILE"],
    )
    services = Services(
        renderer=renderer,
        slots=slots,
        clock=clock,
        screens=screens,
        reminders=Reminders(api, clock),
    )
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
    store = open_persistence(app)
    persistence = None if store is None else CountedPersistence(store, metrics.persistence_error)
    app.extensions["cramp_relief"] = SkillRuntime(
        skill=build_skill(services, persistence),
        verifier=verifier,
        clock=clock,
        skill_id=app.config["SKILL_ID"],
        max_body_bytes=int(app.config["MAX_BODY_BYTES"]),
        metrics=metrics,
        store=store,
        # Replays are refused where timestamps are checked, that is with verification on.
        replays=(
            ReplayGuard(store, count_failure=metrics.persistence_error)
            if verifier and app.config["REFUSE_REPLAYS"]
            else None
        ),
    )
    app.extensions[ops.EXTENSION] = ops.Operations(
        metrics=metrics,
        persistence=persistence,
        backend=None if store is None else store.backend,
        content_problem=lambda: None if content.locales else "no content was loaded",
    )
    app.register_blueprint(blueprint)
    app.register_blueprint(ops.blueprint)
    privacy.register(
        app,
        privacy.render_pages(
            data_dir("responses"),
            app.config["DEFAULT_LOCALE"],
            {locale: model.invocation_name for locale, model in slots.models.items()},
            {locale: content.content(locale).disclaimer.text for locale in locales},
        ),
    )
    return app
