"""Turns written out for people: the command line's transcript and the page's "heard" line."""

from __future__ import annotations

import json
from typing import Any, Final

from skill.entity_resolution import read_slot
from skill.simulator.turn import Turn

PROMPT: Final = "you> "


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
    lines.append(f"alexa> {turn.speech}" if turn.speech else "alexa> (says nothing)")
    if turn.reprompt and turn.session_open and turn.reprompt != turn.speech:
        lines.append(f"  reprompt: {turn.reprompt}")
    if turn.note:
        lines.append(f"  note: {turn.note}")
    if turn.error:
        lines.append(f"  error: {turn.error}")
    lines.append(f"  [session {'open' if turn.session_open else 'closed'}]")
    return "\n".join(lines)


def _json_lines(turn: Turn) -> list[str]:
    lines: list[str] = []
    for label, document in (("request", turn.request), ("response", turn.response)):
        if document is not None:
            lines.append(f"  {label}:")
            lines.extend(f"    {line}" for line in json.dumps(document, indent=2).splitlines())
    return lines
