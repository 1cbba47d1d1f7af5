"""Typed text -> what Alexa would send: a launch, an intent with slots, or the end of a session.

Each locale's sample utterances are compiled to regular expressions once. A sample is tried two
ways: with each {slot} matching only the slot type's values and synonyms (an exact match, which
gets entity resolution ER_SUCCESS_MATCH), and, if the sample has literal words of its own, with
each {slot} matching any words (ER_SUCCESS_NO_MATCH when the words are no known value). Among the
samples that match the whole text, the best is the one with the fewest unknown slot values,
then the most slots filled with known values (words Alexa can put in a slot, she does: "ow my
calf" fills {muscle} through "ow my {muscle}" even though the model also lists it literally),
then from the model rather than Amazon's built-in phrases, then with the most literal words.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any, Final, Literal

from skill.envelopes import DEFAULT_SKILL_ID
from skill.interaction_model import InteractionModel, SlotValue, load_model
from skill.simulator.builtin_phrases import (
    ASK_WORDS,
    BUILTIN_PHRASES,
    CONNECTING_WORDS,
    EXIT_PHRASES,
    LAUNCH_WORDS,
    TRAILING_WORDS,
    WAKE_WORDS,
    language_of,
)

Kind = Literal["launch", "intent", "exit", "silence"]
FALLBACK_INTENT: Final = "AMAZON.FallbackIntent"
ER_SUCCESS_MATCH: Final = "ER_SUCCESS_MATCH"
ER_SUCCESS_NO_MATCH: Final = "ER_SUCCESS_NO_MATCH"

_SPLIT: Final = re.compile(r"[^\w']+|_+")
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_PLACEHOLDER: Final = re.compile(r"\{([^{}]+)\}")
# A wildcard slot: one or more words, as few as possible so the literal words after it match.
_ANY_WORDS: Final = r"\S+(?: \S+)*?"


def heard_words(text: str) -> list[str]:
    """The words as a transcript shows them: lowercase, punctuation gone except apostrophes."""
    words: list[str] = []
    for piece in _SPLIT.split(text.casefold().translate(_APOSTROPHES)):
        word = piece.strip("'")
        if word:
            words.append(word)
    return words


def _key(word: str) -> str:
    # "can't" and "cant" are one word to the matcher, as they are to a listener.
    return word.replace("'", "")


def _keys(text: str) -> list[str]:
    return [_key(word) for word in heard_words(text)]


@dataclass(frozen=True)
class Resolution:
    """What Alexa makes of one thing said.

    kind is "launch" (a LaunchRequest), "intent" (an IntentRequest for `intent`), "exit" (the
    user ended the session: a SessionEndedRequest, reason USER_INITIATED) or "silence" (nothing
    was said). `slots` holds every slot the intent declares, in request JSON form. `new_session`
    is True for the forms that always start a session ("open ...", "ask ... to ...").
    """

    kind: Kind
    intent: str | None
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    new_session: bool = False
    # The words matched against the samples: the request part of "ask cramp relief <request>".
    utterance: str = ""
    # The sample utterance or built-in phrase that matched, as written; None when none did.
    sample: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "intent": self.intent,
            "slots": self.slots,
            "newSession": self.new_session,
            "utterance": self.utterance,
            "sample": self.sample,
        }

    def slot_ids(self) -> dict[str, str | None]:
        """slot -> entity-resolution id, or the spoken value when it matched none, or None."""
        return {name: slot_summary(slot) for name, slot in self.slots.items()}


def slot_summary(slot: Mapping[str, Any]) -> str | None:
    """A request slot's first entity-resolution id, else its spoken value, else None."""
    for authority in (slot.get("resolutions") or {}).get("resolutionsPerAuthority") or []:
        if (authority.get("status") or {}).get("code") == ER_SUCCESS_MATCH:
            values = authority.get("values") or []
            if values:
                value_id: str = values[0]["value"]["id"]
                return value_id
    value = slot.get("value")
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class _Sample:
    """One sample utterance, compiled."""

    intent: str
    text: str
    slot_names: tuple[str, ...]
    # Slots match only known values; None when a slot's type has no values to list.
    exact: re.Pattern[str] | None
    # Slots match any words; None without slots or without a literal word to anchor them.
    loose: re.Pattern[str] | None
    literal_words: int
    builtin: bool


@dataclass(frozen=True)
class _Match:
    sample: _Sample
    # (unknown slot values, -known slot values, built-in phrase, -literal words, sample order)
    rank: tuple[int, int, bool, int, int]
    # slot name -> (first word, end word) in the utterance.
    spans: Mapping[str, tuple[int, int]]


def _value_index(model: InteractionModel) -> dict[str, dict[str, tuple[SlotValue, ...]]]:
    """Per custom slot type: spoken key -> the values it names, canonical names first."""
    indexes: dict[str, dict[str, tuple[SlotValue, ...]]] = {}
    for type_name, slot_type in model.slot_types.items():
        index: dict[str, list[SlotValue]] = {}
        named = [(vid, canonical, (canonical,)) for vid, (canonical, _) in slot_type.values.items()]
        synonyms = [(vid, canonical, syns) for vid, (canonical, syns) in slot_type.values.items()]
        for value_id, canonical, phrases in [*named, *synonyms]:
            value = SlotValue(value_id, canonical)
            for phrase in phrases:
                key = " ".join(_keys(phrase))
                if key and value not in index.setdefault(key, []):
                    index[key].append(value)
        indexes[type_name] = {key: tuple(values) for key, values in index.items()}
    return indexes


def _compile(
    intent: str,
    text: str,
    slot_types: Mapping[str, str],
    indexes: Mapping[str, Mapping[str, tuple[SlotValue, ...]]],
    *,
    builtin: bool,
) -> _Sample | None:
    """The sample's two patterns; None if it names a slot the intent does not declare."""
    exact: list[str] = []
    loose: list[str] = []
    names: list[str] = []
    literal = 0
    exact_possible = True
    position = 0
    for placeholder in [*_PLACEHOLDER.finditer(text), None]:
        end = len(text) if placeholder is None else placeholder.start()
        for key in _keys(text[position:end]):
            exact.append(re.escape(key))
            loose.append(re.escape(key))
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
        known = sorted(indexes.get(type_name, {}), key=lambda key: (-len(key), key))
        if known:
            exact.append(f"(?P<{group}>{'|'.join(re.escape(key) for key in known)})")
        else:
            exact_possible = False
        loose.append(f"(?P<{group}>{_ANY_WORDS})")
    return _Sample(
        intent=intent,
        text=text,
        slot_names=tuple(names),
        exact=re.compile(" ".join(exact)) if exact_possible and exact else None,
        # A sample that is only slots would swallow any words at all: Alexa's fallback model
        # catches such out-of-domain speech, so only anchored samples may take unknown values.
        loose=re.compile(" ".join(loose)) if names and literal else None,
        literal_words=literal,
        builtin=builtin,
    )


class Resolver:
    """Resolves typed text for one locale's interaction model; build once, use many times."""

    def __init__(self, model: InteractionModel) -> None:
        self.model = model
        language = language_of(model.locale)
        self._indexes = _value_index(model)
        self._invocation = _keys(model.invocation_name)
        self._samples = self._compile_all(model, BUILTIN_PHRASES.get(language, {}))
        invocation = " ".join(self._invocation)
        self._exit = frozenset(
            " ".join(_keys(phrase.replace("{invocation}", invocation)))
            for phrase in EXIT_PHRASES.get(language, ())
        )
        self._launch_words = [_keys(word) for word in LAUNCH_WORDS.get(language, ())]
        self._ask_words = [_keys(word) for word in ASK_WORDS.get(language, ())]
        self._connecting = frozenset(CONNECTING_WORDS.get(language, ()))
        self._trailing = [_keys(word) for word in TRAILING_WORDS.get(language, ())]
        self._wake = frozenset(WAKE_WORDS.get(language, ()))

    def _compile_all(
        self, model: InteractionModel, builtins: Mapping[str, Sequence[str]]
    ) -> tuple[_Sample, ...]:
        samples: list[_Sample] = []
        for intent in model.intents.values():
            for text in intent.samples:
                compiled = _compile(intent.name, text, intent.slots, self._indexes, builtin=False)
                if compiled is not None:
                    samples.append(compiled)
        # Alexa only recognises the built-in intents a model declares.
        for intent_name, phrases in builtins.items():
            intent_def = model.intents.get(intent_name)
            if intent_def is None:
                continue
            for text in phrases:
                compiled = _compile(
                    intent_name, text, intent_def.slots, self._indexes, builtin=True
                )
                if compiled is not None:
                    samples.append(compiled)
        return tuple(samples)

    @property
    def invocation_name(self) -> str:
        return self.model.invocation_name

    def resolve(self, text: str, *, skill_id: str = DEFAULT_SKILL_ID) -> Resolution:
        """What Alexa would send for `text` said to a device (or inside an open session)."""
        words = heard_words(text)
        if words and words[0] in self._wake:
            words = words[1:]
        keys = [_key(word) for word in words]
        if not keys:
            return Resolution("silence", None)
        if " ".join(keys) in self._exit:
            return Resolution("exit", None, utterance=" ".join(words))
        invoked = self._invoked(words, keys, skill_id)
        if invoked is not None:
            return invoked
        return self._intent(words, keys, skill_id, new_session=False)

    def _invoked(self, words: list[str], keys: list[str], skill_id: str) -> Resolution | None:
        """A launch or a one-shot request naming this skill, or None if the skill is not named."""
        name = self._invocation
        for verb in [*self._launch_words, *self._ask_words]:
            after = len(verb) + len(name)
            if keys[: len(verb)] != verb or keys[len(verb) : after] != name:
                continue
            rest = after
            if rest == len(keys):
                return Resolution("launch", None, new_session=True, utterance=" ".join(words))
            if verb in self._ask_words:
                # "ask X to <request>" or "ask X <request>": Alexa accepts both; try each.
                starts = [rest, rest + 1] if keys[rest] in self._connecting else [rest]
                return self._best_one_shot(words, keys, starts, skill_id)
            if keys[rest] == "and" and rest + 1 < len(keys):
                return self._best_one_shot(words, keys, [rest + 1], skill_id)
        for joiner in self._trailing:
            tail = len(joiner) + len(name)
            if len(keys) > tail and keys[-tail:] == [*joiner, *name]:
                request_words, request_keys = words[:-tail], keys[:-tail]
                return self._intent(request_words, request_keys, skill_id, new_session=True)
        return None

    def _best_one_shot(
        self, words: list[str], keys: list[str], starts: Sequence[int], skill_id: str
    ) -> Resolution:
        best: tuple[_Match, int] | None = None
        for start in starts:
            match = self._match(keys[start:])
            if match is not None and (best is None or match.rank < best[0].rank):
                best = (match, start)
        if best is None:
            first = starts[0]
            return self._fallback(words[first:], new_session=True)
        match, start = best
        return self._resolution(match, words[start:], skill_id, new_session=True)

    def _intent(
        self, words: list[str], keys: list[str], skill_id: str, *, new_session: bool
    ) -> Resolution:
        match = self._match(keys)
        if match is None:
            return self._fallback(words, new_session=new_session)
        return self._resolution(match, words, skill_id, new_session=new_session)

    def _fallback(self, words: Sequence[str], *, new_session: bool) -> Resolution:
        return Resolution(
            "intent", FALLBACK_INTENT, new_session=new_session, utterance=" ".join(words)
        )

    def _match(self, keys: Sequence[str]) -> _Match | None:
        """The best sample matching all of `keys`, or None."""
        if not keys:
            return None
        text = " ".join(keys)
        # Character offset at which each word starts, to turn regex spans into word spans.
        starts: list[int] = []
        offset = 0
        for key in keys:
            starts.append(offset)
            offset += len(key) + 1
        best: _Match | None = None
        for order, sample in enumerate(self._samples):
            found = sample.exact.fullmatch(text) if sample.exact is not None else None
            exact = found is not None
            if found is None and sample.loose is not None:
                found = sample.loose.fullmatch(text)
            if found is None:
                continue
            spans: dict[str, tuple[int, int]] = {}
            unknown = 0
            for index, name in enumerate(sample.slot_names):
                start, end = found.span(f"s{index}")
                first = bisect.bisect_left(starts, start)
                last = bisect.bisect_left(starts, end + 1)
                spans[name] = (first, last)
                if not exact and self._values(sample.intent, name, keys[first:last]) is None:
                    unknown += 1
            known = len(sample.slot_names) - unknown
            rank = (unknown, -known, sample.builtin, -sample.literal_words, order)
            if best is None or rank < best.rank:
                best = _Match(sample, rank, MappingProxyType(spans))
        return best

    def _values(self, intent: str, slot: str, keys: Sequence[str]) -> tuple[SlotValue, ...] | None:
        """The known values these words name for the slot; None if they name none."""
        type_name = self.model.intents[intent].slots.get(slot)
        index = self._indexes.get(type_name or "")
        return None if index is None else index.get(" ".join(keys))

    def _resolution(
        self, match: _Match, words: Sequence[str], skill_id: str, *, new_session: bool
    ) -> Resolution:
        intent = match.sample.intent
        slots: dict[str, dict[str, Any]] = {}
        for slot_name, type_name in self.model.intents[intent].slots.items():
            span = match.spans.get(slot_name)
            if span is None:
                slots[slot_name] = {"name": slot_name, "confirmationStatus": "NONE"}
                continue
            first, last = span
            value = " ".join(words[first:last])
            custom = type_name in self._indexes
            values = self._values(intent, slot_name, [_key(word) for word in words[first:last]])
            slots[slot_name] = request_slot(
                slot_name, value, type_name if custom else None, values or (), skill_id
            )
        return Resolution(
            "intent",
            intent,
            slots=slots,
            new_session=new_session,
            utterance=" ".join(words),
            sample=match.sample.text,
        )


def request_slot(
    name: str,
    value: str,
    custom_type: str | None,
    values: Sequence[SlotValue],
    skill_id: str = DEFAULT_SKILL_ID,
) -> dict[str, Any]:
    """A filled slot as Alexa sends it; with a custom type, its entity resolution."""
    slot: dict[str, Any] = {
        "name": name,
        "value": value,
        "confirmationStatus": "NONE",
        "source": "USER",
    }
    slot_value: dict[str, Any] = {"type": "Simple", "value": value}
    if custom_type is not None:
        authority: dict[str, Any] = {
            "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{custom_type}",
            "status": {"code": ER_SUCCESS_MATCH if values else ER_SUCCESS_NO_MATCH},
        }
        if values:
            authority["values"] = [{"value": {"name": v.name, "id": v.id}} for v in values]
        resolutions = {"resolutionsPerAuthority": [authority]}
        slot["resolutions"] = resolutions
        slot_value["resolutions"] = resolutions
    slot["slotValue"] = slot_value
    return slot


@cache
def resolver_for(locale: str) -> Resolver:
    """The resolver for `locale`, built once per process; LookupError if it has no model."""
    return Resolver(load_model(locale))


def resolve(text: str, locale: str = "en-US", *, skill_id: str = DEFAULT_SKILL_ID) -> Resolution:
    """What Alexa would send for `text` in `locale`: see Resolver.resolve."""
    return resolver_for(locale).resolve(text, skill_id=skill_id)
