"""`cramp-relief simulate`: talk to the skill by typing, offline, and see what Alexa would send.

With utterances on the command line, says each in turn, prints every turn and exits (0, or 1 if
a reply was unusable); without, an interactive prompt. In-process by default: the skill's own
app, with request verification on and a throwaway development CA trusted. With --url, a running
`cramp-relief serve --dev`, each request signed by the shared development CA in --dev-ca.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from skill.devtools.devca import load_or_create_dev_ca
from skill.devtools.trust import DEV_CA_DIR_ENV, default_dev_ca_dir
from skill.locales import available_locales
from skill.simulator.resolver import ER_SUCCESS_MATCH
from skill.simulator.session import Simulator, Turn
from skill.simulator.speaker import Speaker

PROMPT = "you> "
_QUIT = frozenset({":quit", ":q", ":exit"})
_HELP = """Type what you would say to the device, as you would say it.
  open cramp relief / ask cramp relief <request>   start a session
  an empty line        silence: Alexa reprompts, then the session times out
  exit                 end the session (SessionEndedRequest, USER_INITIATED)
  :json                show or hide the request and response JSON
  :quit or Ctrl-D      leave"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="talk to the skill by typing: what Alexa would send, and what the skill says back",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "utterances",
        nargs="*",
        metavar="UTTERANCE",
        help='say these in order, print each turn and exit, e.g. "open cramp relief" "yes"; '
        "an empty string is silence. Without any: an interactive prompt",
    )
    parser.add_argument("--locale", default="en-US", choices=available_locales())
    parser.add_argument("--json", action="store_true", help="print request and response JSON")
    parser.add_argument("--speak", action="store_true", help="read replies aloud with espeak-ng")
    parser.add_argument(
        "--url",
        help="a running `cramp-relief serve --dev`, e.g. http://127.0.0.1:8080/alexa "
        "(default: the skill in this process)",
    )
    parser.add_argument(
        "--dev-ca",
        type=Path,
        metavar="DIR",
        help=f"the development CA folder shared with `serve --dev` (default: ${DEV_CA_DIR_ENV}, "
        "else ~/.cache/cramp-relief/dev-ca); used with --url",
    )
    parser.add_argument(
        "--skill-id", help="the applicationId to send (default: a placeholder skill id)"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show the skill's request log on stderr"
    )
    parser.set_defaults(run=run)


def build_simulator(args: argparse.Namespace) -> Simulator:
    extra: dict[str, Any] = {"skill_id": args.skill_id} if args.skill_id else {}
    if args.url:
        ca = load_or_create_dev_ca(args.dev_ca or default_dev_ca_dir())
        return Simulator.over_http(args.url, ca, locale=args.locale, **extra)
    return Simulator.in_process(locale=args.locale, **extra)


def run(args: argparse.Namespace) -> int:
    if not args.verbose:
        # The in-process app logs a line per request; between turns that is noise.
        logging.getLogger().setLevel(logging.WARNING)
    if args.dev_ca is not None and not args.url:
        print("note: --dev-ca is used only with --url", file=sys.stderr)
    try:
        simulator = build_simulator(args)
    except ValueError as error:
        print(f"cramp-relief simulate: {error}", file=sys.stderr)
        return 2
    speaker = Speaker(args.locale, sys.stderr) if args.speak else None
    if args.utterances:
        return run_script(simulator, args.utterances, sys.stdout, args.json, speaker)
    return run_interactive(simulator, sys.stdout, args.json, speaker)


def run_script(
    simulator: Simulator,
    utterances: Sequence[str],
    out: TextIO,
    show_json: bool,
    speaker: Speaker | None,
) -> int:
    """Say each utterance in turn; 1 if any reply was unusable, else 0."""
    failed = False
    for text in utterances:
        turn = simulator.say(text)
        print(format_turn(turn, echo=True, show_json=show_json), file=out)
        _speak(speaker, turn)
        failed = failed or turn.error is not None
    return 1 if failed else 0


def run_interactive(
    simulator: Simulator, out: TextIO, show_json: bool, speaker: Speaker | None
) -> int:
    # Importing readline gives input() line editing and history; not every platform has it.
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401
    print(
        f"Talking to {simulator.resolver.invocation_name} "
        f"({simulator.locale}, {simulator.transport}). "
        "Type :help for help.",
        file=out,
    )
    while True:
        try:
            line = input(PROMPT)
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return 0
        command = line.strip()
        if command in _QUIT:
            return 0
        if command == ":help":
            print(_HELP, file=out)
            continue
        if command == ":json":
            show_json = not show_json
            print(f"JSON {'on' if show_json else 'off'}", file=out)
            continue
        turn = simulator.say(line)
        print(format_turn(turn, echo=False, show_json=show_json), file=out)
        _speak(speaker, turn)


def _speak(speaker: Speaker | None, turn: Turn) -> None:
    if speaker is None or not turn.speech:
        return
    output = ((turn.response or {}).get("response") or {}).get("outputSpeech") or {}
    ssml = output.get("ssml") if output.get("type") == "SSML" else None
    speaker.speak(ssml if isinstance(ssml, str) else turn.speech)


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
    value = slot.get("value")
    if value is None:
        return ""
    for authority in (slot.get("resolutions") or {}).get("resolutionsPerAuthority") or []:
        if authority["status"]["code"] == ER_SUCCESS_MATCH:
            value_id = authority["values"][0]["value"]["id"]
            heard = "" if value == value_id else f' (heard "{value}")'
            return f"{slot['name']}={value_id}{heard}"
        return f'{slot["name"]}="{value}" (no match)'
    return f'{slot["name"]}="{value}"'


def format_turn(turn: Turn, *, echo: bool, show_json: bool) -> str:
    """A turn as the CLI prints it."""
    lines: list[str] = [f"{PROMPT}{turn.said}"] if echo else []
    lines.append(f"  -> {describe_request(turn)}")
    if show_json and turn.request is not None:
        lines.append("  request:")
        lines.append(_indent(json.dumps(turn.request, indent=2)))
    if show_json and turn.response is not None:
        lines.append("  response:")
        lines.append(_indent(json.dumps(turn.response, indent=2)))
    lines.append(f"alexa> {turn.speech}" if turn.speech else "alexa> (says nothing)")
    if turn.reprompt and turn.session_open and turn.reprompt != turn.speech:
        lines.append(f"  reprompt: {turn.reprompt}")
    if turn.note:
        lines.append(f"  note: {turn.note}")
    if turn.error:
        lines.append(f"  error: {turn.error}")
    lines.append(f"  [session {'open' if turn.session_open else 'closed'}]")
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())
