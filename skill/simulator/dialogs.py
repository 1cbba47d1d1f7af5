"""Dialog tests kept as data: a conversation, turn by turn, with what each turn must produce.

A dialog is a mapping (tests/dialogs/*.yaml hold them; the caller parses the YAML):

    locale: en-US              # optional, default skill.locales.DEFAULT_LOCALE (en-US)
    description: ...           # optional, for the reader
    turns:
      - say: ask cramp relief my calf is cramping   # what is said; "" is silence
        request: IntentRequest   # optional: LaunchRequest, IntentRequest, SessionEndedRequest,
                                 #   Connections.Response (the answer to Alexa's permission
                                 #   question), or none (Alexa answered by herself)
        intent: CrampReliefIntent            # optional: the intent sent
        slots: {muscle: calf}                # optional: value id, else words heard; null: empty
        expect: ["straighten your leg"]      # optional: phrases the reply must contain
        expect_not: ["doctor"]               # optional: phrases it must not contain
        reprompt: ["guided stretch"]         # optional: phrases the reprompt must contain
        session: open                        # optional: open or closed after the turn

Phrases are matched ignoring case, runs of spaces and the kind of apostrophe. Every key is
checked, so a misspelt key is an error rather than a check silently skipped. In YAML, quote
yes, no, on and off (say: "yes"): bare, YAML reads them as true and false.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from skill.entity_resolution import slot_summary
from skill.locales import DEFAULT_LOCALE
from skill.simulator.session import Simulator
from skill.simulator.turn import Turn

REQUEST_TYPES: Final = frozenset(
    {"LaunchRequest", "IntentRequest", "SessionEndedRequest", "Connections.Response", "none"}
)
_TURN_KEYS: Final = frozenset(
    {"say", "request", "intent", "slots", "expect", "expect_not", "reprompt", "session"}
)
_DIALOG_KEYS: Final = frozenset({"locale", "description", "turns"})


@dataclass(frozen=True)
class DialogTurn:
    say: str
    request: str | None = None
    intent: str | None = None
    slots: Mapping[str, str | None] | None = None
    expect: tuple[str, ...] = ()
    expect_not: tuple[str, ...] = ()
    reprompt: tuple[str, ...] = ()
    session: str | None = None


@dataclass(frozen=True)
class Dialog:
    name: str
    locale: str = DEFAULT_LOCALE
    description: str = ""
    turns: tuple[DialogTurn, ...] = field(default_factory=tuple)


def parse_dialog(raw: object, name: str) -> Dialog:
    """A Dialog from parsed YAML or JSON; ValueError naming the problem if it is malformed."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"{name}: a dialog is a mapping with a `turns` list")
    _no_unknown_keys(raw, _DIALOG_KEYS, name)
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns:
        raise ValueError(f"{name}: `turns` must be a non-empty list")
    locale = raw.get("locale", DEFAULT_LOCALE)
    description = raw.get("description", "")
    if not isinstance(locale, str) or not isinstance(description, str):
        raise ValueError(f"{name}: `locale` and `description` must be strings")
    parsed = tuple(_parse_turn(turn, f"{name} turn {index}") for index, turn in enumerate(turns, 1))
    return Dialog(name=name, locale=locale, description=description, turns=parsed)


def _parse_turn(raw: object, where: str) -> DialogTurn:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: a turn is a mapping with at least `say`")
    _no_unknown_keys(raw, _TURN_KEYS, where)
    say = raw.get("say")
    if say is None:
        say = ""  # `say:` with nothing after it is silence, as an empty string is
    if isinstance(say, bool):
        # YAML 1.1 reads a bare yes, no, on or off as a boolean, and the words are lost.
        raise ValueError(f'{where}: `say` was read as {say}; quote it, e.g. say: "yes"')
    if not isinstance(say, str):
        raise ValueError(f"{where}: `say` must be a string")
    request = _optional_text(raw, "request", where)
    if request is not None and request not in REQUEST_TYPES:
        raise ValueError(f"{where}: `request` must be one of {sorted(REQUEST_TYPES)}")
    session = _optional_text(raw, "session", where)
    if session is not None and session not in ("open", "closed"):
        raise ValueError(f"{where}: `session` must be open or closed")
    return DialogTurn(
        say=say,
        request=request,
        intent=_optional_text(raw, "intent", where),
        slots=_slots(raw.get("slots"), where),
        expect=_phrases(raw, "expect", where),
        expect_not=_phrases(raw, "expect_not", where),
        reprompt=_phrases(raw, "reprompt", where),
        session=session,
    )


def _no_unknown_keys(raw: Mapping[Any, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        raise ValueError(f"{where}: unknown keys {unknown}; allowed: {sorted(allowed)}")


def _optional_text(raw: Mapping[str, Any], key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{where}: `{key}` must be a string")
    return value


def _phrases(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"{where}: `{key}` must be a phrase or a list of phrases")
    return tuple(value)


def _slots(value: object, where: str) -> Mapping[str, str | None] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: `slots` must map slot names to values")
    slots: dict[str, str | None] = {}
    for name, slot_value in value.items():
        if not isinstance(name, str) or not (slot_value is None or isinstance(slot_value, str)):
            raise ValueError(f"{where}: slot {name!r} must be a string or null")
        slots[name] = slot_value
    return slots


def _folded(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").casefold().split())


def turn_problems(expected: DialogTurn, turn: Turn) -> list[str]:
    """What about `turn` does not match `expected` (empty when all is well)."""
    problems: list[str] = []
    if turn.error:
        problems.append(f"the skill's reply was unusable: {turn.error}")
    sent = turn.request_type or "none"
    if expected.request is not None and sent != expected.request:
        problems.append(f"request: expected {expected.request}, sent {sent}")
    if expected.intent is not None and turn.intent != expected.intent:
        problems.append(f"intent: expected {expected.intent}, got {turn.intent}")
    if expected.slots is not None:
        got = _sent_slots(turn)
        for name, want in expected.slots.items():
            if got.get(name) != want:
                problems.append(f"slot {name}: expected {want!r}, got {got.get(name)!r}")
    speech = _folded(turn.speech)
    for phrase in expected.expect:
        if _folded(phrase) not in speech:
            problems.append(f"reply lacks {phrase!r}")
    for phrase in expected.expect_not:
        if _folded(phrase) in speech:
            problems.append(f"reply contains {phrase!r}")
    reprompt = _folded(turn.reprompt or "")
    for phrase in expected.reprompt:
        if _folded(phrase) not in reprompt:
            problems.append(f"reprompt lacks {phrase!r}")
    if expected.session is not None:
        actual = "open" if turn.session_open else "closed"
        if actual != expected.session:
            problems.append(f"session: expected {expected.session}, it is {actual}")
    return problems


def _sent_slots(turn: Turn) -> dict[str, str | None]:
    if turn.request is None:
        return {}
    intent = turn.request["request"].get("intent") or {}
    return {name: slot_summary(slot) for name, slot in (intent.get("slots") or {}).items()}


@dataclass(frozen=True)
class DialogFailure:
    """The first turn that went wrong, with everything that did not match."""

    dialog: str
    index: int
    said: str
    problems: Sequence[str]
    turn: Turn

    def __str__(self) -> str:
        lines = [f"{self.dialog}, turn {self.index} ({self.said!r}):"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        lines.append(f"  alexa said: {self.turn.speech!r}")
        return "\n".join(lines)


def run_dialog(dialog: Dialog, make_simulator: Callable[[str], Simulator]) -> DialogFailure | None:
    """Play the dialog on a fresh simulator for its locale; the first failing turn, or None."""
    simulator = make_simulator(dialog.locale)
    for index, expected in enumerate(dialog.turns, 1):
        turn = simulator.say(expected.say)
        problems = turn_problems(expected, turn)
        if problems:
            return DialogFailure(dialog.name, index, expected.say, problems, turn)
    return None
