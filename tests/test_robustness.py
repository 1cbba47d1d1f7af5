"""The 10,000-example hostile-input suite: not part of the default test run.

    ROBUSTNESS=1 .venv/bin/python -m pytest -m robustness tests/test_robustness.py

Request bodies (raw bytes, arbitrary JSON, realistic envelopes with any part replaced), headers
(signatures, certificate URLs, content types), session attributes and slot values, built from
SSML-special characters, huge strings, wrong types and deep nesting; all posted to /alexa signed
by the development CA the app trusts, so they reach the skill itself, not just the signature check.
For every example: never a 5xx (only 200 or 400), every SSML reply is valid XML, nothing escapes to
the endpoint's last-resort handler or the skill's exception handler, and right after it a plain
LaunchRequest still gets its relief instruction: the process keeps answering.

tests/test_properties.py is the quick version of this that runs by default.
"""

from __future__ import annotations

import json
import logging
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from skill import create_app
from skill.devtools.devca import DevCA
from skill.envelopes import DEFAULT_SKILL_ID, Conversation, read_response, slot
from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE

pytestmark = [
    pytest.mark.robustness,
    pytest.mark.skipif(
        os.environ.get("ROBUSTNESS") != "1",
        reason="the 10,000-example suite: ROBUSTNESS=1 pytest -m robustness",
    ),
]

# 10,000 by default; ROBUSTNESS_EXAMPLES=200 for a quick look.
EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "10000"))
MAX_BODY = 64 * 1024

# --- building blocks -----------------------------------------------------------------------

SSML_SPECIAL = st.sampled_from(
    [
        "&",
        "<",
        ">",
        '"',
        "'",
        "&amp;",
        "&lt;speak&gt;",
        "]]>",
        "<![CDATA[",
        "<break time='10s'/>",
        "</speak>",
        "<speak>",
        "<audio src='https://x'/>",
        "\u0000",
        "\u200b",
        "\ufeff",
        "\ud800",  # a lone surrogate, as JSON can carry one
        "é",
        "🦶",
        "{{ content }}",
        "{% raw %}",
        "%s",
        "\\",
        "\n",
    ]
)
TEXT = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(SSML_SPECIAL, st.text(max_size=4)), max_size=10).map("".join),
)
# Thousands of characters, yet (as JSON, escapes and all) well inside the 64 KiB body limit, so
# they reach the skill; bodies over the limit are drawn separately.
HUGE = st.builds(
    lambda piece, size: (piece * (size // len(piece) + 1))[:size],
    st.one_of(SSML_SPECIAL, st.sampled_from(["a", "calf ", "é", "&<>"])),
    st.integers(min_value=500, max_value=3_000),
)
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    TEXT,
)
# Object keys: arbitrary, or names the SDK's model objects have themselves.
KEYS = TEXT | st.sampled_from(
    ["__dict__", "__class__", "type", "version", "deserialized_types", "attribute_map", "to_dict"]
)
JSON = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
# Deep inside an envelope (as deep as json can still write), and whole bodies nested far deeper.
DEEP = st.builds(
    lambda depth, kind: _nest(depth, kind),
    st.integers(min_value=10, max_value=800),
    st.sampled_from(["list", "dict"]),
)
DEEP_BODY: st.SearchStrategy[bytes] = st.builds(
    lambda depth, kind: (
        (b"[" * depth + b"]" * depth)
        if kind == "list"
        else (b'{"a":' * depth + b"1" + b"}" * depth)
    ),
    st.integers(min_value=500, max_value=12_000),
    st.sampled_from(["list", "dict"]),
)
HOSTILE = st.one_of(JSON, TEXT, JSON, TEXT, HUGE, DEEP)

MODEL = load_model(DEFAULT_LOCALE)
INTENTS = sorted(MODEL.intents)
SLOTS = ["muscle", "topic", "symptom", "routine", "other"]
SLOT_TYPES = ["MUSCLE", "TIP_TOPIC", "RED_FLAG", "ROUTINE", "NOPE"]
REQUEST_TYPES = [
    "IntentRequest",
    "LaunchRequest",
    "SessionEndedRequest",
    "CanFulfillIntentRequest",
    "System.ExceptionEncountered",
    "AudioPlayer.PlaybackStarted",
    "Alexa.Presentation.APL.UserEvent",
]
LOCALES = ["en-US", "en-GB", "en-AU", "fr-FR", "en", "", "EN-us", "x" * 300]
KNOWN_VALUES = [
    "calf",
    "foot",
    "toes",
    "magnesium",
    "water",
    "cramp_relief",
    "bedtime",
    "chest_pain",
]
TEMPLATES = ["relief", "step", "tip", "help", "launch", "launch_resume", "routine_stop", "nope"]


def _nest(depth: int, kind: str) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value] if kind == "list" else {"x": value}
    return value


# Session attributes: the shapes the skill writes, with hostile values in every field.
def sometimes(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> Any:
    """`usual` four times in five, `rare` otherwise."""
    return st.sampled_from(range(5)).flatmap(lambda pick: rare if pick == 3 else usual)


ATTRIBUTES = sometimes(
    st.fixed_dictionaries(
        {},
        optional={
            "offer": st.one_of(st.sampled_from(["stretch", "tip", "still", "continue"]), HOSTILE),
            "tipsHeard": st.one_of(st.lists(st.sampled_from(KNOWN_VALUES) | TEXT), HOSTILE),
            "stillCount": st.one_of(st.integers(min_value=-5, max_value=20), HOSTILE),
            "last": st.one_of(
                st.fixed_dictionaries(
                    {
                        "template": st.one_of(st.sampled_from(TEMPLATES), HOSTILE),
                        "params": st.one_of(
                            st.dictionaries(
                                st.sampled_from(["muscle", "topic", "routine", "step", "lead"])
                                | TEXT,
                                st.one_of(
                                    st.sampled_from(KNOWN_VALUES),
                                    st.integers(min_value=-10, max_value=10),
                                    HOSTILE,
                                ),
                                max_size=4,
                            ),
                            HOSTILE,
                        ),
                    }
                ),
                HOSTILE,
            ),
            "routine": st.one_of(
                st.fixed_dictionaries(
                    {
                        "routine": st.one_of(st.sampled_from(KNOWN_VALUES), HOSTILE),
                        "step": st.one_of(st.integers(min_value=-3, max_value=12), HOSTILE),
                        "paused": st.one_of(st.booleans(), HOSTILE),
                    }
                ),
                HOSTILE,
            ),
            "x": HOSTILE,
        },
    ),
    HOSTILE,
)


@st.composite
def slot_value(draw: st.DrawFn, name: str) -> Any:
    """A slot as Alexa sends it, or something else entirely."""
    shape = draw(st.sampled_from(["plain", "resolved", "unmatched"] * 2 + ["hostile"]))
    if shape == "hostile":
        return draw(HOSTILE)
    value = draw(st.one_of(st.sampled_from(KNOWN_VALUES), TEXT, HUGE, JSON))
    if shape == "plain":
        return {"name": name, "value": value, "confirmationStatus": "NONE"}
    return slot(
        name,
        value if isinstance(value, str) else json.dumps(value),
        value_id=draw(st.one_of(st.sampled_from(KNOWN_VALUES), TEXT))
        if shape == "resolved"
        else None,
        slot_type=draw(st.sampled_from(SLOT_TYPES)),
    )


def _paths(data: Any, limit: int = 8) -> Iterator[tuple[Any, ...]]:
    """Every path into `data`, to at most `limit` levels (drawn values may be very deep)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        prefix, value = stack.pop()
        yield prefix
        if len(prefix) >= limit:
            continue
        if isinstance(value, dict):
            stack.extend(((*prefix, key), child) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend(((*prefix, index), child) for index, child in enumerate(value))


@st.composite
def envelope(draw: st.DrawFn) -> Any:
    """A realistic envelope from a real conversation shape, with hostile parts drawn in."""
    talk = Conversation(locale=draw(st.sampled_from(["en-US", "en-GB"])))
    talk.launch()
    request_type = draw(
        st.sampled_from(["IntentRequest"] * 4 + ["LaunchRequest"] * 2 + REQUEST_TYPES)
    )
    intent_name = draw(st.one_of(st.sampled_from(INTENTS), st.sampled_from(INTENTS), TEXT, HOSTILE))
    slots = draw(st.lists(st.sampled_from(SLOTS) | TEXT, max_size=3, unique=True))
    built_slots = {name: draw(slot_value(name)) for name in slots}
    if request_type == "LaunchRequest":
        built = talk.launch()
    elif request_type == "SessionEndedRequest":
        built = talk.session_ended(
            draw(st.one_of(st.sampled_from(["ERROR", "USER_INITIATED"]), TEXT))
        )
    elif request_type == "CanFulfillIntentRequest":
        built = talk.can_fulfill("CrampReliefIntent")
        built["request"]["intent"] = {"name": intent_name, "slots": built_slots}
    else:
        talk.session_id = talk.session_id or "amzn1.echo-api.session.x"
        built = talk.envelope({"type": request_type})
        built["request"]["intent"] = {
            "name": intent_name,
            "confirmationStatus": "NONE",
            "slots": built_slots,
        }
    if "session" in built:
        built["session"]["attributes"] = draw(ATTRIBUTES)
        built["session"]["new"] = draw(sometimes(st.booleans(), HOSTILE))
    built["request"]["locale"] = draw(sometimes(st.sampled_from(LOCALES), HOSTILE))
    # Now and then (one in five), one more part anywhere swapped for something hostile.
    if draw(st.sampled_from(range(5))) == 3:
        paths = list(_paths(built))[1:]
        path = draw(st.sampled_from(paths))
        parent = built
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = draw(HOSTILE)
    return built


def _json_bytes(value: Any) -> bytes:
    """JSON as Alexa would send it; values json cannot write (too deep) become a plain string."""
    try:
        return json.dumps(value).encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError):
        return b'"too deep to write"'


@st.composite
def body(draw: st.DrawFn) -> bytes:
    """Mostly (nine in twelve) realistic envelopes with hostile parts, so that most examples
    reach the handlers; the rest raw bytes, any JSON, or nesting far past any parser's limit."""
    kind = draw(st.sampled_from(["envelope"] * 9 + ["bytes", "json", "deep"]))
    if kind == "envelope":
        return _json_bytes(draw(envelope()))
    if kind == "bytes":
        return draw(st.binary(max_size=600))
    if kind == "json":
        return _json_bytes(draw(JSON))
    return draw(DEEP_BODY)


HEADER_NAMES = ["Content-Type", "SignatureCertChainUrl", "Signature-256", "Signature", "X-Other"]
HEADER_VALUES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "text/plain",
            "application/json; charset=latin-1",
            "https://s3.amazonaws.com/echo.api/../echo.api/x.pem",
            "https://s3.amazonaws.com:443/echo.api/dev-cramp-relief.pem",
            "http://s3.amazonaws.com/echo.api/x.pem",
            "https://evil.example/echo.api/x.pem",
            "=",
            "",
        ]
    ),
    st.text(max_size=80).filter(lambda v: "\n" not in v and "\r" not in v),
)

# --- the app -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def robust_app(dev_ca: DevCA, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    folder = tmp_path_factory.mktemp("robustness")
    roots = folder / "roots.pem"
    roots.write_bytes(dev_ca.root_pem)
    return create_app(
        {
            "SKILL_ID": DEFAULT_SKILL_ID,
            "TRUSTED_ROOTS": str(roots),
            "CERT_LOADER": dev_ca.loader,
            "DATABASE": str(Path(folder) / "robustness.sqlite3"),
        }
    )


class Failures(logging.Handler):
    """Collects what reaches the last-resort handlers: the endpoint's and the skill's."""

    WATCHED = ("skill.requests", "skill.handlers.errors")

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name in self.WATCHED:
            self.records.append(record)


@pytest.fixture(scope="module")
def failures() -> Iterator[Failures]:
    handler = Failures()
    for name in Failures.WATCHED:
        logging.getLogger(name).addHandler(handler)
    yield handler
    for name in Failures.WATCHED:
        logging.getLogger(name).removeHandler(handler)


def check_reply(reply: Any) -> None:
    assert reply.status_code in (200, 400), reply.status_code
    payload = json.loads(reply.get_data())
    if reply.status_code != 200:
        event(f"400 {payload['reason'].split(':')[0]}")
        return
    said = read_response(payload)
    event("200 with speech" if said.has_speech else "200 without speech")
    for ssml in (said.ssml, said.reprompt_ssml):
        if ssml:
            root = ET.fromstring(ssml)  # raises on invalid XML
            assert root.tag == "speak"


def still_answers(client: Any, ca: DevCA) -> None:
    """A plain LaunchRequest right after: 200, and the relief instruction first."""
    body = json.dumps(Conversation().launch()).encode()
    reply = client.post(
        "/alexa", data=body, headers={"Content-Type": "application/json", **ca.sign(body)}
    )
    assert reply.status_code == 200
    text = read_response(reply.get_json()).text or ""
    assert text.startswith("Stop any stretch"), text


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    body=body(),
    signed=st.sampled_from(["signed"] * 8 + ["unsigned", "tampered"]),
    headers=st.dictionaries(st.sampled_from(HEADER_NAMES), HEADER_VALUES, max_size=3),
    oversize=st.sampled_from(range(41)),
)
def test_hostile_requests_never_break_the_skill(
    robust_app: Flask,
    dev_ca: DevCA,
    failures: Failures,
    body: bytes,
    signed: str,
    headers: dict[str, str],
    oversize: int,
) -> None:
    # One in forty-one each (not the first value: hypothesis favours that one).
    if oversize == 17:  # just over the body limit
        body = body + b" " * max(0, MAX_BODY + 1 - len(body))
    sent = {"Content-Type": "application/json"}
    if signed == "signed":
        sent.update(dev_ca.sign(body))
    elif signed == "tampered":
        sent.update(dev_ca.sign(body + b" "))
    # Drawn headers replace the real ones now and then (a signature may then no longer match).
    if signed != "signed" or oversize == 23:
        sent.update(headers)
    failures.records.clear()
    client = robust_app.test_client()
    check_reply(client.post("/alexa", data=body, headers=sent))
    assert not failures.records, [record.getMessage() for record in failures.records]
    still_answers(client, dev_ca)
