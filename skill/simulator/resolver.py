"""Typed text -> what Alexa would send: a launch, an intent with slots, or the end of a session.

Each locale's sample utterances are compiled to regular expressions once. A sample is tried two
ways: with each {slot} matching only the slot type's values and synonyms (an exact match, which
gets entity resolution ER_SUCCESS_MATCH; a built-in AMAZON.TIME slot matches words its grammar
reads, sent as Alexa sends them, "22:00"), and, if the sample has literal words of its own, with
each {slot} matching any words (ER_SUCCESS_NO_MATCH when the words are no known value). Among the
samples that match the whole text, the best is the one with the fewest unknown slot values,
then the most slots filled with known values (words Alexa can put in a slot, she does: "ow my
calf" fills {muscle} through "ow my {muscle}" even though the model also lists it literally),
then from the model rather than Amazon's built-in phrases, then with the most literal words.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from types import MappingProxyType
from typing import Any, Final, Literal

from skill.entity_resolution import request_slot, slot_summary
from skill.envelopes import DEFAULT_SKILL_ID
from skill.interaction_model import InteractionModel, SlotValue, load_model
from skill.locales import DEFAULT_LOCALE
from skill.simulator.builtin_phrases import builtin_phrases, language_of
from skill.simulator.invocation import InvocationForms, model_inputs
from skill.simulator.samples import (
    Sample,
    compile_sample,
    grammar_reads,
    heard_words,
    value_index,
    word_key,
    word_keys,
)
from skill.simulator.spoken_time import resolve_time

# "touch" is a button pressed on a screen (Simulator.touch), never something said.
Kind = Literal["launch", "intent", "exit", "silence", "touch"]
# Built-in slot types read by their grammar, as Alexa does, rather than from listed values.
GRAMMARS: Final = frozenset({"AMAZON.TIME"})
FALLBACK_INTENT: Final = "AMAZON.FallbackIntent"


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


@dataclass(frozen=True)
class _Match:
    sample: Sample
    # (unknown slot values, -known slot values, built-in phrase, -literal words, sample order)
    rank: tuple[int, int, bool, int, int]
    # slot name -> (first word, end word) in the utterance.
    spans: Mapping[str, tuple[int, int]]


class Resolver:
    """Resolves typed text for one locale's interaction model; build once, use many times."""

    def __init__(self, model: InteractionModel) -> None:
        self.model = model
        self._language = language_of(model.locale)
        self._read = partial(resolve_time, language=self._language)
        phrases = builtin_phrases(self._language)
        self._indexes = value_index(model)
        self._invocation = word_keys(model.invocation_name)
        self._samples = self._compile_all(model, phrases.intents)
        invocation = " ".join(self._invocation)
        self._exit = frozenset(
            " ".join(word_keys(phrase.replace("{invocation}", invocation)))
            for phrase in phrases.exit
        )
        self._forms = InvocationForms(phrases, model.invocation_name)
        self._wake = frozenset(phrases.wake)

    def _compile_all(
        self, model: InteractionModel, builtins: Mapping[str, Sequence[str]]
    ) -> tuple[Sample, ...]:
        samples: list[Sample] = []
        for intent in model.intents.values():
            for text in intent.samples:
                compiled = compile_sample(
                    intent.name,
                    text,
                    intent.slots,
                    self._indexes,
                    builtin=False,
                    grammar_types=GRAMMARS,
                )
                if compiled is not None:
                    samples.append(compiled)
        # Alexa only recognises the built-in intents a model declares.
        for intent_name, phrases in builtins.items():
            intent_def = model.intents.get(intent_name)
            if intent_def is None:
                continue
            for text in phrases:
                compiled = compile_sample(
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
        words = self._heard(text)
        keys = [word_key(word) for word in words]
        if not keys:
            return Resolution("silence", None)
        if " ".join(keys) in self._exit:
            return Resolution("exit", None, utterance=" ".join(words))
        invoked = self._invoked(words, keys, skill_id)
        if invoked is not None:
            return invoked
        return self._intent(words, keys, skill_id, new_session=False)

    def model_inputs(self, text: str) -> tuple[str | None, ...]:
        """The words Alexa's front end would hand the skill's model for `text` (see
        invocation.model_inputs): for driving another sample matcher the way Alexa would."""
        words = self._heard(text)
        return model_inputs(self._forms.readings([word_key(w) for w in words]), words)

    def _heard(self, text: str) -> list[str]:
        """The words of `text` as a transcript shows them, without a wake word first."""
        words = heard_words(text)
        return words[1:] if words and words[0] in self._wake else words

    def _invoked(self, words: list[str], keys: list[str], skill_id: str) -> Resolution | None:
        """A launch or a one-shot request naming this skill, or None if the skill is not named."""
        found: Resolution | None = None
        for reading in self._forms.readings(keys):
            said = words[reading.start :]
            if reading.launch:
                named = Resolution("launch", None, new_session=True, utterance=" ".join(said))
            elif reading.request_end is not None:
                end = reading.request_end
                request_words, request_keys = words[reading.start : end], keys[reading.start : end]
                named = self._intent(request_words, request_keys, skill_id, new_session=True)
            else:
                named = self._best_one_shot(words, keys, reading.request_starts, skill_id)
            # "let's <request> using <name>": the request without the lead-in, if it matches.
            if found is None or found.intent == FALLBACK_INTENT:
                found = named
        return found

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
        present = frozenset(keys)
        for order, sample in enumerate(self._samples):
            # A sample whose literal words were not all said cannot match: skip it uncompiled.
            if not sample.literals <= present:
                continue
            found = sample.exact.fullmatch(text) if sample.exact is not None else None
            if found is not None and not grammar_reads(sample, found, keys, starts, self._read):
                found = None
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
            first, last = match.spans.get(slot_name, (0, 0))
            value = " ".join(words[first:last]) if last > first else None
            if type_name in GRAMMARS and value is not None:
                # Alexa sends a built-in time as "HH:MM" (or MO/AF/EV/NI), never the words.
                value = resolve_time(value, self._language)
            values = self._values(intent, slot_name, [word_key(word) for word in words[first:last]])
            slots[slot_name] = request_slot(
                slot_name,
                value,
                skill_id=skill_id,
                slot_type=type_name if type_name in self._indexes else None,
                matches=[(found.id, found.name) for found in values or ()],
                from_device=True,
            )
        return Resolution(
            "intent",
            intent,
            slots=slots,
            new_session=new_session,
            utterance=" ".join(words),
            sample=match.sample.text,
        )


@cache
def resolver_for(locale: str) -> Resolver:
    """The resolver for `locale`, built once per process; LookupError if it has no model."""
    return Resolver(load_model(locale))


def resolve(
    text: str, locale: str = DEFAULT_LOCALE, *, skill_id: str = DEFAULT_SKILL_ID
) -> Resolution:
    """What Alexa would send for `text` in `locale`: see Resolver.resolve."""
    return resolver_for(locale).resolve(text, skill_id=skill_id)
