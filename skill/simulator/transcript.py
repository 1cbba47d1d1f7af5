"""Turns written out for people: the command line's transcript and the page's "heard" line."""

from __future__ import annotations

import json
import re
from typing import Any, Final

from skill.apl.directive import RENDER_DOCUMENT
from skill.entity_resolution import read_slot
from skill.envelopes import read_response
from skill.simulator.turn import Turn
from skill.speech import ssml_to_text

PROMPT: Final = "you> "
# A break this long is a timed hold, worth showing; shorter ones are the pauses between sentences.
SHOWN_PAUSE_MS: Final = 1000
_BREAK: Final = re.compile(r'<break\b[^>]*?\btime="(\d+(?:\.\d+)?)(ms|s)"[^>]*/>')
# What a server started without --dev answers a request signed by the development CA: it tries to
# fetch the (made-up) signing certificate, which only a --dev server knows.
_NOT_DEV_SERVER: Final = "could not fetch the signing certificate"
DEV_SERVER_HINT: Final = (
    "the server does not trust the development CA these requests are signed with: start it "
    "with `cramp-relief serve --dev` (with the same --dev-ca folder as this command)"
)
# What a --dev server with another development CA answers.
_OTHER_CA: Final = ("certificate chain not trusted", "signature does not match")
OTHER_CA_HINT: Final = (
    "the server trusts another development CA: give `serve --dev` and `simulate` the same "
    "--dev-ca folder"
)


def describe_request(turn: Turn) -> str:
    """One line naming what was sent: request type, intent, slots, and a new session."""
    if turn.request is None:
        return "(nothing sent to the skill)"
    inner = turn.request["request"]
    parts = [inner["type"]]
    if inner["type"] == "IntentRequest":
        parts.append(inner["intent"]["name"])
        parts.extend(_describe_slot(slot) for slot in (inner["intent"].get("slots") or {}).values())
        parts = [part for part in parts if part]
    if inner["type"] == "SessionEndedRequest":
        parts.append(f"({inner['reason']})")
    if inner["type"] == "Alexa.Presentation.APL.UserEvent":
        parts.append(" ".join(str(argument) for argument in inner.get("arguments") or []))
    session = turn.request.get("session")
    if session and session.get("new"):
        parts.append("[new session]")
    return " ".join(parts)


def _describe_slot(slot: dict[str, Any]) -> str:
    reading = read_slot(slot)
    if reading.value is None:
        return ""
    if reading.match_id is not None:
        heard = "" if reading.value == reading.match_id else f' (heard "{reading.value}")'
        return f"{slot['name']}={reading.match_id}{heard}"
    if reading.status is not None:
        return f'{slot["name"]}="{reading.value}" (no match)'
    return f'{slot["name"]}="{reading.value}"'


def format_turn(turn: Turn, *, echo: bool, show_json: bool) -> str:
    """A turn as the command line prints it."""
    lines: list[str] = [f"{PROMPT}{turn.said}"] if echo else []
    lines.append(f"  -> {describe_request(turn)}")
    if show_json:
        lines.extend(_json_lines(turn))
    speech = said_with_pauses(turn)
    lines.append(f"alexa> {speech}" if speech else "alexa> (says nothing)")
    if turn.reprompt and turn.session_open and turn.reprompt != turn.speech:
        lines.append(f"  reprompt: {turn.reprompt}")
    for token in _screen_tokens(turn):
        lines.append(f"  screen: {token} (APL; --json shows the document)")
    if turn.note:
        lines.append(f"  note: {turn.note}")
    if turn.error:
        if turn.status == 400 and _NOT_DEV_SERVER in turn.error:
            # The server's own words send people looking in the wrong place: say what is wrong,
            # and keep them for reference.
            lines.append(f"  error: {DEV_SERVER_HINT} (it answered {turn.error})")
        else:
            lines.append(f"  error: {turn.error}")
            if turn.status == 400 and any(reason in turn.error for reason in _OTHER_CA):
                lines.append(f"  hint: {OTHER_CA_HINT}")
    lines.append(f"  [session {'open' if turn.session_open else 'closed'}]")
    return "\n".join(lines)


def _screen_tokens(turn: Turn) -> list[str]:
    shown = read_response(turn.response).directives_of(RENDER_DOCUMENT)
    return [str(d.get("token")) for d in shown]


def said_with_pauses(turn: Turn) -> str:
    """What Alexa says, with each timed hold shown where it falls ("[10 s pause]"), so a
    transcript does not hide that a step takes thirty seconds."""
    ssml = read_response(turn.response).ssml
    if ssml is None:
        return turn.speech
    return ssml_to_text(_BREAK.sub(_pause_mark, ssml))


def _pause_mark(match: re.Match[str]) -> str:
    milliseconds = float(match.group(1)) * (1000 if match.group(2) == "s" else 1)
    if milliseconds < SHOWN_PAUSE_MS:
        return " "
    return f" [{milliseconds / 1000:g} s pause] "


def _json_lines(turn: Turn) -> list[str]:
    lines: list[str] = []
    for label, document in (("request", turn.request), ("response", turn.response)):
        if document is not None:
            lines.append(f"  {label}:")
            lines.extend(f"    {line}" for line in json.dumps(document, indent=2).splitlines())
    return lines
