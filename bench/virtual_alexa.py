"""Phrases through virtual-alexa (npm), a third-party sample matcher, driving the served skill.

virtual-alexa is installed with npm on first use into $CRAMP_RELIEF_NODE_DIR (default
~/.cache/cramp-relief/node), outside the repository; virtual_alexa.js beside this file drives it.

Two ways to hand it a phrase (`Invocation`):
- "alexa" (the default): the words Alexa's front end would give the skill's model, as the
  project's resolver reads Amazon's invocation forms ("ask cramp relief <request>" gives the
  request; words that name no skill are said inside a session), each matched by virtual-alexa's
  own sample matcher;
- "package": the whole phrase to virtual-alexa's utter(), whose launch check has no anchor, so
  any phrase holding "ask", "tell", "open" or "launch" becomes a launch ("what can I ask",
  "tell me a tip"), and "ask X how to stop them" becomes "stop them".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from werkzeug.serving import make_server

from skill.app import create_app
from skill.data import data_dir
from skill.simulator.resolver import resolver_for

DRIVER: Final = Path(__file__).resolve().with_suffix(".js")
VIRTUAL_ALEXA: Final = "virtual-alexa@0.7.8"
Invocation = Literal["alexa", "package"]
INVOCATIONS: Final = ("alexa", "package")


@dataclass(frozen=True)
class Phrase:
    """One thing said, and where in a conversation (None, "in_session" or "in_routine")."""

    text: str
    context: str | None = None


@dataclass(frozen=True)
class Sent:
    """The request virtual-alexa sent for a phrase: its type and intent, or why none was sent."""

    request: str | None
    intent: str | None
    slots: dict[str, str | None] = field(default_factory=dict)
    error: str | None = None


def node_dir() -> Path:
    configured = os.environ.get("CRAMP_RELIEF_NODE_DIR")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "cramp-relief" / "node"


def ensure_virtual_alexa(directory: Path) -> Path:
    """The node_modules folder holding virtual-alexa, installed with npm if missing."""
    modules = directory / "node_modules"
    if not (modules / "virtual-alexa").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("virtual-alexa needs node and npm (apt-get install nodejs npm)")
        directory.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--prefix", str(directory), "--no-audit", "--no-fund", VIRTUAL_ALEXA],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"npm install {VIRTUAL_ALEXA} failed: {done.stderr.strip()}")
    return modules


@contextmanager
def served_skill() -> Iterator[str]:
    """The skill on 127.0.0.1 (an ephemeral port), verification off; yields its /alexa URL."""
    with tempfile.TemporaryDirectory(prefix="cramp-heldout-") as workdir:
        app = create_app(
            {"VERIFY_REQUESTS": False, "DATABASE": str(Path(workdir) / "heldout.sqlite3")}
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}/alexa"
        finally:
            server.shutdown()
            thread.join()


def driver_items(
    phrases: Sequence[Phrase], locale: str, invocation: Invocation
) -> list[dict[str, object]]:
    """The driver's items for `phrases`: with what the model is handed, unless "package"."""
    items: list[dict[str, object]] = [{"text": p.text, "context": p.context} for p in phrases]
    if invocation == "alexa":
        resolver = resolver_for(locale)
        for item, phrase in zip(items, phrases, strict=True):
            item["said"] = list(resolver.model_inputs(phrase.text))
    return items


def through_virtual_alexa(
    phrases: Sequence[Phrase], locale: str, url: str, invocation: Invocation = "alexa"
) -> list[Sent]:
    """Each phrase said to virtual-alexa with the locale's model, driving the skill at `url`."""
    modules = ensure_virtual_alexa(node_dir())
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("virtual-alexa needs node (apt-get install nodejs)")
    job = {
        "url": url,
        "model": str(data_dir("interaction_models") / f"{locale}.json"),
        "locale": locale,
        "items": driver_items(phrases, locale, invocation),
    }
    done = subprocess.run(
        [node, str(DRIVER)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NODE_PATH": str(modules)},
    )
    if done.returncode != 0:
        raise RuntimeError(f"virtual-alexa driver failed: {done.stderr.strip()}")
    return [
        Sent(item["request"], item.get("intent"), item.get("slots") or {}, item.get("error"))
        for item in json.loads(done.stdout)
    ]
