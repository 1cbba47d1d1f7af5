"""The model author's own development phrasings (tests/dev_phrases): every one reaches its intent
and slot ids through the project's resolver. The held-out set is measured, not tested: see
`python -m bench.heldout`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.heldout import Entry, load_entries, through_resolver
from skill.simulator.resolver import resolver_for

DEV_DIR = Path(__file__).resolve().parent / "dev_phrases"
LOCALES = sorted(path.stem for path in DEV_DIR.glob("*.yaml"))


def test_dev_sets_exist() -> None:
    assert LOCALES == ["en-GB", "en-US"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_dev_phrase_reaches_its_intent(locale: str) -> None:
    entries: list[Entry] = load_entries(locale, DEV_DIR)
    outcomes = through_resolver(entries, resolver_for(locale))
    wrong = [
        f"{entry.text!r}: meant {entry.intent} {entry.slots}, got {got.intent} {got.slots}"
        for entry, got in zip(entries, outcomes, strict=True)
        if not got.slots_hit(entry)
    ]
    assert wrong == []


BLIND_DIR = DEV_DIR / "blind"
# The blind development set (a second author's, tuned against) may keep a few honest misses
# (phrasings two authors label differently, words split by punctuation); below this it regressed.
BLIND_FLOOR = 0.95


@pytest.mark.parametrize("locale", LOCALES)
def test_blind_dev_set_resolves_at_the_floor(locale: str) -> None:
    entries = load_entries(locale, BLIND_DIR)
    outcomes = through_resolver(entries, resolver_for(locale))
    hits = sum(got.hits(entry) for entry, got in zip(entries, outcomes, strict=True))
    assert hits / len(entries) >= BLIND_FLOOR, f"{hits}/{len(entries)}"


# The blind sets written for the fourth model pass (tests/dev_phrases/blind-a, blind-b), the one
# tuned on in the fifth (blind-c), the one written for the sixth (blind-d), the three for the
# eighth (blind-e, -f, -g), the three for the tenth (blind-h, -i, -j), the one tuned on in the
# sixteenth (blind-k) and the one tuned on in the seventeenth (blind-l), held where the passes
# left them, rounded down: a model change that loses phrases there regressed.
NEW_BLIND_FLOORS: dict[str, dict[str, float]] = {
    "blind-a": {"en-GB": 0.97, "en-US": 0.98},
    "blind-b": {"en-GB": 0.95, "en-US": 0.99},
    "blind-c": {"en-GB": 0.98, "en-US": 0.96},
    "blind-d": {"en-GB": 0.97, "en-US": 0.97},
    "blind-e": {"en-GB": 0.90, "en-US": 0.87},
    "blind-f": {"en-GB": 0.93, "en-US": 0.95},
    "blind-g": {"en-GB": 0.80, "en-US": 0.79},
    "blind-h": {"en-GB": 0.79, "en-US": 0.73},
    "blind-i": {"en-GB": 0.84, "en-US": 0.81},
    "blind-j": {"en-GB": 0.75, "en-US": 0.75},
    "blind-k": {"en-GB": 0.91, "en-US": 0.91},
    "blind-l": {"en-GB": 0.86, "en-US": 0.84},
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("folder", sorted(NEW_BLIND_FLOORS))
def test_new_blind_dev_sets_resolve_at_their_floors(folder: str, locale: str) -> None:
    entries = load_entries(locale, DEV_DIR / folder)
    outcomes = through_resolver(entries, resolver_for(locale))
    hits = sum(got.hits(entry) for entry, got in zip(entries, outcomes, strict=True))
    assert hits / len(entries) >= NEW_BLIND_FLOORS[folder][locale], f"{hits}/{len(entries)}"
