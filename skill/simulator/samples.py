"""Sample utterances compiled to regular expressions, and words as a transcript shows them.

A sample is compiled two ways: with each {slot} matching only the slot type's values and synonyms
(`exact`), and, if the sample has literal words of its own, with each {slot} matching any words
(`loose`). Words are compared as keys: lowercase, punctuation gone, "can't" the same as "cant".
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Final

from skill.interaction_model import InteractionModel, SlotValue

_SPLIT: Final = re.compile(r"[^\w']+|_+")
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_PLACEHOLDER: Final = re.compile(r"\{([^{}]+)\}")
# A wildcard slot: one or more words, as few as possible so the literal words after it match.
_ANY_WORDS: Final = r"\S+(?: \S+)*?"

# Per custom slot type: spoken key -> the values it names.
ValueIndex = Mapping[str, Mapping[str, tuple[SlotValue, ...]]]


def heard_words(text: str) -> list[str]:
    """The words as a transcript shows them: lowercase, punctuation gone except apostrophes."""
    words: list[str] = []
    for piece in _SPLIT.split(text.casefold().translate(_APOSTROPHES)):
        word = piece.strip("'")
        if word:
            words.append(word)
    return words


# Spellings of one spoken word: a transcript writes it one way, whichever a person types.
_SPELLINGS: Final = {"ok": "okay"}


def word_key(word: str) -> str:
    # "can't" and "cant" are one word to the matcher, as they are to a listener.
    key = word.replace("'", "")
    return _SPELLINGS.get(key, key)


def word_keys(text: str) -> list[str]:
    return [word_key(word) for word in heard_words(text)]


@dataclass(frozen=True)
class Sample:
    """One sample utterance, compiled on first use.

    A model expanded from templates has thousands of samples; most are never the ones tried, so
    each is compiled only when an utterance holds all of its literal words (`literals`).
    """

    intent: str
    text: str
    slot_names: tuple[str, ...]
    # Slots match only known values; None when a slot's type has no values to list.
    exact_source: str | None
    # Slots match any words; None without slots or without a literal word to anchor them.
    loose_source: str | None
    literal_words: int
    builtin: bool
    # Slots of a built-in type the simulator reads by its grammar (AMAZON.TIME): in `exact` they
    # take any words, which count only if the grammar reads them.
    grammar_slots: tuple[str, ...] = ()
    literals: frozenset[str] = frozenset()

    @cached_property
    def exact(self) -> re.Pattern[str] | None:
        return None if self.exact_source is None else re.compile(self.exact_source)

    @cached_property
    def loose(self) -> re.Pattern[str] | None:
        return None if self.loose_source is None else re.compile(self.loose_source)


def value_index(model: InteractionModel) -> dict[str, dict[str, tuple[SlotValue, ...]]]:
    """Per custom slot type: spoken key -> the values it names, canonical names first."""
    indexes: dict[str, dict[str, tuple[SlotValue, ...]]] = {}
    for type_name, slot_type in model.slot_types.items():
        index: dict[str, list[SlotValue]] = {}
        named = [(vid, canonical, (canonical,)) for vid, (canonical, _) in slot_type.values.items()]
        synonyms = [(vid, canonical, syns) for vid, (canonical, syns) in slot_type.values.items()]
        for value_id, canonical, phrases in [*named, *synonyms]:
            value = SlotValue(value_id, canonical)
            for phrase in phrases:
                key = " ".join(word_keys(phrase))
                if key and value not in index.setdefault(key, []):
                    index[key].append(value)
        indexes[type_name] = {key: tuple(values) for key, values in index.items()}
    return indexes


def compile_sample(
    intent: str,
    text: str,
    slot_types: Mapping[str, str],
    indexes: Mapping[str, Mapping[str, tuple[SlotValue, ...]]],
    *,
    builtin: bool,
    grammar_types: Collection[str] = (),
) -> Sample | None:
    """The sample's two patterns; None if it names a slot the intent does not declare."""
    exact: list[str] = []
    loose: list[str] = []
    names: list[str] = []
    literals: set[str] = set()
    grammar: list[str] = []
    literal = 0
    exact_possible = True
    position = 0
    for placeholder in [*_PLACEHOLDER.finditer(text), None]:
        end = len(text) if placeholder is None else placeholder.start()
        for key in word_keys(text[position:end]):
            exact.append(re.escape(key))
            loose.append(re.escape(key))
            literals.add(key)
            literal += 1
        if placeholder is None:
            break
        position = placeholder.end()
        name = placeholder.group(1).strip()
        type_name = slot_types.get(name)
        if type_name is None:
            # The console rejects such a model; check-model reports it. Skip, do not guess.
            return None
        group = f"s{len(names)}"
        names.append(name)
        known = _alternation(tuple(indexes.get(type_name, {})))
        if known:
            exact.append(f"(?P<{group}>{known})")
        elif type_name in grammar_types:
            exact.append(f"(?P<{group}>{_ANY_WORDS})")
            grammar.append(name)
        else:
            exact_possible = False
        loose.append(f"(?P<{group}>{_ANY_WORDS})")
    return Sample(
        intent=intent,
        text=text,
        slot_names=tuple(names),
        exact_source=" ".join(exact) if exact_possible and exact else None,
        # A sample that is only slots would swallow any words at all: Alexa's fallback model
        # catches such out-of-domain speech, so only anchored samples may take unknown values.
        loose_source=" ".join(loose) if names and literal else None,
        literal_words=literal,
        builtin=builtin,
        literals=frozenset(literals),
        grammar_slots=tuple(grammar),
    )


@cache
def _alternation(keys: tuple[str, ...]) -> str:
    """A slot type's known values as regex alternatives, longest first (built once per type)."""
    return "|".join(re.escape(key) for key in sorted(keys, key=lambda key: (-len(key), key)))


def grammar_reads(
    sample: Sample,
    found: re.Match[str],
    keys: Sequence[str],
    starts: Sequence[int],
    read: Callable[[str], str | None],
) -> bool:
    """Whether each built-in-grammar slot of an exact match holds words `read` can read;
    `starts` are the character offsets at which the words of `keys` begin. A sample that is the
    slot alone takes only a clock time ("HH:MM"): a bare "night" is good night, not a time."""
    for index, name in enumerate(sample.slot_names):
        if name in sample.grammar_slots:
            start, end = found.span(f"s{index}")
            first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end + 1)
            value = read(" ".join(keys[first:last]))
            if value is None or (sample.literal_words == 0 and ":" not in value):
                return False
    return True
