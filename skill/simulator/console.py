"""`cramp-relief simulate`'s conversation: a script of utterances, or an interactive prompt."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Final, TextIO

from skill.envelopes import read_response
from skill.simulator.alexa_api_link import held_reminders
from skill.simulator.session import Simulator
from skill.simulator.speaker import Speaker
from skill.simulator.transcript import PROMPT, format_turn
from skill.simulator.turn import Turn

_QUIT: Final = frozenset({":quit", ":q", ":exit"})
_TOUCH: Final = ":touch "
_HELP: Final = """Type what you would say to the device, as you would say it.
  open cramp relief / ask cramp relief <request>   start a session
  an empty line        silence: Alexa reprompts, then the session times out
  exit                 end the session (SessionEndedRequest, USER_INITIATED)
  :json                show or hide the request and response JSON
  :touch next          press a button on the screen (back, next, stop; with --device)
  :reminders           the reminders this user has in the Alexa API stand-in
  :quit or Ctrl-D      leave"""


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
        turn = _take(simulator, text)
        print(format_turn(turn, echo=True, show_json=show_json), file=out)
        _speak(speaker, turn)
        failed = failed or turn.error is not None
    return 1 if failed else 0


def run_interactive(
    simulator: Simulator, out: TextIO, show_json: bool, speaker: Speaker | None
) -> int:
    """Read what is said from the terminal until :quit or end of input; 0."""
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
        if command == ":reminders":
            print(reminders_listing(simulator), file=out)
            continue
        if command == ":json":
            show_json = not show_json
            print(f"JSON {'on' if show_json else 'off'}", file=out)
            continue
        if command == ":touch":
            print("say which button: :touch back, :touch next or :touch stop", file=out)
            continue
        if command.startswith(":") and not command.startswith(_TOUCH):
            # A mistyped command is not something to say to the skill.
            print(f"unknown command {command.split()[0]}: type :help for the commands", file=out)
            continue
        turn = _take(simulator, line)
        print(format_turn(turn, echo=False, show_json=show_json), file=out)
        _speak(speaker, turn)


def _take(simulator: Simulator, line: str) -> Turn:
    """One turn: a touch on the screen (":touch next") or something said."""
    if line.strip().startswith(_TOUCH):
        return simulator.touch(line.strip().removeprefix(_TOUCH).strip())
    return simulator.say(line)


def _speak(speaker: Speaker | None, turn: Turn) -> None:
    if speaker is None or not turn.speech:
        return
    ssml = read_response(turn.response).ssml
    speaker.speak(ssml if ssml is not None else turn.speech)


def reminders_listing(simulator: Simulator) -> str:
    """What `:reminders` prints: each reminder the stand-in holds for this device's user."""
    lines, problem = held_reminders(simulator.alexa_api, simulator.device.api_access_token)
    if problem is not None:
        return problem
    return "\n".join(f"  reminder: {line}" for line in lines) or "No reminders."
