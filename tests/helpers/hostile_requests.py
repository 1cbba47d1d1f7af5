"""Hypothesis strategies for hostile requests: envelopes, attributes, slots, bodies, headers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

from skill.envelopes import Conversation, slot
from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE
from tests.helpers.hostile_values import DEEP_BODY, HOSTILE, HUGE, JSON, TEXT, sometimes

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

# Session attributes: the shapes the skill writes, with hostile values in every field.
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
