"""What Alexa itself understands, which no interaction model lists: phrases/<language>.toml.

Each file holds, for one language, the phrases of Amazon's built-in intents and the words around
a skill's name (launch, ask, exit and the rest); see the comments in phrases/en.toml. Read once
per language and checked as it is read.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

PHRASES_DIR: Final = Path(__file__).resolve().parent / "phrases"
_WORD_LISTS: Final = ("wake", "launch", "ask", "connecting", "trailing", "exit", "lead_in")
_LANGUAGE: Final = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class BuiltinPhrases:
    """One language's phrases; every field is empty for a language without a file."""

    wake: tuple[str, ...] = ()
    launch: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    connecting: tuple[str, ...] = ()
    trailing: tuple[str, ...] = ()
    exit: tuple[str, ...] = ()
    # Said before the whole phrase ("can you ask cramp relief ...").
    lead_in: tuple[str, ...] = ()
    # Built-in intent -> phrases Alexa understands for it.
    intents: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # The words AMAZON.TIME is resolved from (skill.simulator.spoken_time reads them).
    time: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # Alexa's own permission question, and the answers it takes as yes and no.
    permission_question: str = ""
    permission_accept: tuple[str, ...] = ()
    permission_deny: tuple[str, ...] = ()


def language_of(locale: str) -> str:
    """ "en" for "en-US": Amazon's built-in phrases differ by language, not by country."""
    return locale.split("-", 1)[0].casefold()


@cache
def builtin_phrases(language: str) -> BuiltinPhrases:
    """The phrases of `language` ("en"); ValueError if its file is malformed."""
    path = PHRASES_DIR / f"{language}.toml"
    if not _LANGUAGE.fullmatch(language) or not path.is_file():
        return BuiltinPhrases()
    try:
        return parse_phrases(tomllib.loads(path.read_text(encoding="utf-8")))
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: {error}") from error


def parse_phrases(raw: Mapping[str, Any]) -> BuiltinPhrases:
    """BuiltinPhrases from a parsed phrases file; ValueError naming what is wrong."""
    unknown = sorted(set(raw) - {*_WORD_LISTS, "intents", "time", "permission"})
    if unknown:
        raise ValueError(f"unknown keys {unknown}")
    intents = raw.get("intents", {})
    if not isinstance(intents, Mapping):
        raise ValueError("[intents] must be a table of intent = [phrases]")
    lists = {key: _phrases(raw.get(key, []), key) for key in _WORD_LISTS}
    time, permission = raw.get("time", {}), raw.get("permission", {})
    if not isinstance(time, Mapping) or not isinstance(permission, Mapping):
        raise ValueError("[time] and [permission] must be tables")
    question = permission.get("question", "")
    if not isinstance(question, str):
        raise ValueError("permission.question must be text")
    return BuiltinPhrases(
        **lists,
        intents=MappingProxyType(
            {str(name): _phrases(phrases, str(name)) for name, phrases in intents.items()}
        ),
        time=MappingProxyType(dict(time)),
        permission_question=question,
        permission_accept=_phrases(permission.get("accept", []), "permission.accept"),
        permission_deny=_phrases(permission.get("deny", []), "permission.deny"),
    )


def _phrases(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"{what} must be a list of phrases")
    return tuple(value)
