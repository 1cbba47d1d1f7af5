"""Signs said as absent ("no chest pain", "my toes aren't blue", "not numb or tingly"): taken out
of the words before the safety rules look for signs, so a reassurance is no false alarm.

Kept tight on purpose: a negation missed leaves the more urgent route (a false alarm), a negation
read wrongly would hide a sign. So a negator counts only right before a sign's own words, with at
most a few filler words between ("not really swollen"); it carries on only through "or"/"nor"
("not numb or tingly"), never through "and" ("no pain and I can't breathe"). A sign phrase that
holds the negator itself ("no feeling", "not breathing") is a sign, never a negation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

# A negated sign goes on through these into the next sign: "not cold or blue".
_CHAINS: Final = frozenset({"or", "nor"})


def _occurrences(words: list[str], phrases: Iterable[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(start, end) word spans where each phrase is said, in order."""
    found: set[tuple[int, int]] = set()
    for phrase in phrases:
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if tuple(words[start : start + size]) == phrase:
                found.add((start, start + size))
    return sorted(found)


def without_negated(
    text: str,
    signs: Iterable[tuple[str, ...]],
    negators: Iterable[tuple[str, ...]],
    skips: frozenset[str],
) -> str:
    """`text` (normalised words) without each sign said as absent, nor its negator."""
    words = text.split()
    negator_phrases = tuple(negators)
    spans = _occurrences(words, signs)
    negator_spans = _occurrences(words, negator_phrases)
    ends = {end - 1: start for start, end in negator_spans}
    starts = {start for start, _ in negator_spans}
    # Words of a sign phrase that begins with a negator ("no feeling"): that negator is the sign.
    protected = {i for start, end in spans if start in starts for i in range(start, end)}
    dropped: set[int] = set()
    for start, end in spans:
        before = start - 1
        while before >= 0 and words[before] in skips:
            before -= 1
        if before in ends and before not in protected:
            dropped.update(range(ends[before], end))
        elif before >= 1 and words[before] in _CHAINS and before - 1 in dropped:
            dropped.update(range(before, end))
    return " ".join(word for i, word in enumerate(words) if i not in dropped)
