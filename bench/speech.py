"""Section 4: how long every reply takes to say, read by espeak-ng at 160 words a minute.

Every reply the skill can give (skill/devtools/voice_catalog.py: every template with every
parameter set, every routine step, and every step with each lead said in front of it), in every
locale, with its reprompt. The spoken text is the SSML with its tags dropped, so the breaks (the
timed holds, the short pauses) are not counted: this is talking time. Each text is read by
`espeak-ng -v <voice> -s 160 -w f.wav` and measured with `soxi -D f.wav`.

"Until the instruction" is the time espeak takes to say everything before the first instruction:
the first clause that opens with something to do ("Flex your foot", "Now rub your arch", "stand
up and press"), after at most a word such as "now" or "gently". Zero when the reply opens with it.

Budgets are docs/voice.md's, in words (responses/budgets.toml); in seconds, docs/voice.md's own
conversion (thirty words are about twelve seconds, 0.4 s a word). Relief replies (opening the
skill, a cramp, a place, "it still hurts") must also take at most 12 s and reach their
instruction within 2 s.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

from bench.common import verdict
from skill.content import ContentStore
from skill.data import data_dir
from skill.devtools.voice_catalog import (
    REPROMPT,
    all_replies,
    budgeted_words,
    load_budgets,
    step_lead_replies,
    words,
)
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.speech import Renderer, ssml_to_text

WPM = 160
SECONDS_PER_BUDGET_WORD = 0.4  # docs/voice.md: "30 words are about 12 seconds"
RELIEF_CATEGORIES = frozenset({"relief", "still"})
RELIEF_MAX_SECONDS = 12.0
INSTRUCTION_WITHIN_SECONDS = 2.0
VOICES: Final = MappingProxyType(
    {"en-US": "en-us", "en-GB": "en-gb", "en-AU": "en-au", "en-IN": "en-in", "en-CA": "en-us"}
)

# Verbs a listener is told to act on. A clause is an instruction when its first word is one of
# these, or its second after a softener ("Now rub...", "Gently pull..."), or it is "Now the other
# <side>" (the same stretch again).
ACTION_VERBS = frozenset(
    [
        "flex",
        "pull",
        "straighten",
        "stop",
        "rub",
        "massage",
        "sit",
        "stand",
        "lie",
        "hold",
        "spread",
        "curl",
        "loop",
        "lean",
        "put",
        "keep",
        "press",
        "walk",
        "circle",
        "point",
        "bend",
        "stretch",
        "try",
        "call",
        "drink",
        "eat",
        "wear",
        "build",
        "see",
        "ask",
        "don't",
        "breathe",
    ]
)
SOFTENERS = frozenset(["now", "then", "and", "gently", "slowly", "first", "next", "just", "also"])
_CLAUSE = re.compile(r"[^.?!:;,]+")


@dataclass(frozen=True)
class Spoken:
    locale: str
    name: str
    category: str
    text: str
    is_reprompt: bool = False
    # The words its budget counts (for a guided-stretch step, those before the hold).
    counted_words: int = 0
    # The words its budget allows (budgets.toml; a reprompt's own budget for a reprompt).
    budget_words: int = 0

    @property
    def budget_seconds(self) -> float:
        return self.budget_words * SECONDS_PER_BUDGET_WORD

    @property
    def is_relief(self) -> bool:
        return self.category in RELIEF_CATEGORIES and not self.is_reprompt


@dataclass(frozen=True)
class Measured:
    spoken: Spoken
    words: int
    seconds: float
    to_instruction: float | None  # None: no instruction in it

    def misses(self) -> list[str]:
        """docs/voice.md's word budget, and for relief replies the two time targets. (The seconds
        budget is docs/voice.md's rule of thumb, shown beside the reading, not a limit of its own:
        espeak's file carries a fixed third of a second of silence, which a six-word reply
        cannot fit under 2.4 s.)"""
        found = []
        if self.words > self.spoken.budget_words:
            found.append("words")
        if self.spoken.is_relief:
            if self.seconds > RELIEF_MAX_SECONDS:
                found.append("over 12 s")
            if self.to_instruction is None or self.to_instruction > INSTRUCTION_WITHIN_SECONDS:
                found.append("instruction late")
        return found

    def severity(self) -> float:
        """How close to (or how far over) its worst limit: 1.0 is exactly at it."""
        ratios = [
            self.words / self.spoken.budget_words,
            self.seconds / self.spoken.budget_seconds,
        ]
        if self.spoken.is_relief:
            late = self.to_instruction if self.to_instruction is not None else 99.0
            ratios.append(late / INSTRUCTION_WITHIN_SECONDS)
        return max(ratios)


def instruction_start(text: str) -> int | None:
    """Where in `text` the first instruction begins, or None."""
    for clause in _CLAUSE.finditer(text):
        tokens = clause.group().lower().split()
        if not tokens:
            continue
        if tokens[0] in ACTION_VERBS or (
            len(tokens) > 1 and tokens[0] in SOFTENERS and tokens[1] in ACTION_VERBS
        ):
            return clause.start() + len(clause.group()) - len(clause.group().lstrip())
        if tokens[:3] == ["now", "the", "other"]:
            return clause.start() + len(clause.group()) - len(clause.group().lstrip())
    return None


def every_spoken(renderer: Renderer, locales: list[str]) -> Iterator[Spoken]:
    """Each distinct text the skill can say, per locale, with the category it answers to."""
    budgets = load_budgets()
    category = budgets.templates
    seen: set[tuple[str, str, bool]] = set()
    for locale in locales:
        replies = [*all_replies(renderer, locale), *step_lead_replies(renderer, locale)]
        for name, reply in replies:
            speech = renderer.render(locale, reply)
            label = name + "".join(f" {value}" for value in reply.params.values())
            for ssml, is_reprompt in ((speech.ssml, False), (speech.reprompt, True)):
                if ssml is None:
                    continue
                text = ssml_to_text(ssml)
                if (locale, text, is_reprompt) in seen:
                    continue
                seen.add((locale, text, is_reprompt))
                shown = f"{label} (reprompt)" if is_reprompt else label
                counted = words(ssml) if is_reprompt else budgeted_words(category[name], ssml)
                budget = budgets.words[REPROMPT if is_reprompt else category[name]]
                yield Spoken(locale, shown, category[name], text, is_reprompt, counted, budget)


def espeak_seconds(text: str, voice: str, workdir: Path) -> float:
    """Seconds espeak-ng takes to say `text` at 160 words a minute."""
    with tempfile.TemporaryDirectory(dir=workdir) as scratch:
        source, wav = Path(scratch) / "text.txt", Path(scratch) / "f.wav"
        source.write_text(text, "utf-8")
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(WPM), "-w", str(wav), "-f", str(source)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        done = subprocess.run(
            ["soxi", "-D", str(wav)], check=True, capture_output=True, text=True, timeout=60
        )
        return float(done.stdout.strip())


def measure(spoken: Spoken, workdir: Path) -> Measured:
    voice = VOICES.get(spoken.locale, "en-us")
    seconds = espeak_seconds(spoken.text, voice, workdir)
    start = instruction_start(spoken.text)
    if start is None:
        to_instruction = None
    elif spoken.text[:start].strip():
        to_instruction = espeak_seconds(spoken.text[:start].strip(), voice, workdir)
    else:
        to_instruction = 0.0
    return Measured(spoken, spoken.counted_words, seconds, to_instruction)


def check_tools() -> list[str]:
    return [tool for tool in ("espeak-ng", "soxi") if shutil.which(tool) is None]


@dataclass(frozen=True)
class SpeechResult:
    rows: list[Measured]

    def relief_rows(self) -> list[Measured]:
        return [row for row in self.rows if row.spoken.is_relief]

    def relief_passed(self) -> bool:
        return all(not row.misses() for row in self.relief_rows())


def run(workdir: Path, jobs: int = 2) -> SpeechResult:
    renderer = Renderer(ContentStore(data_dir("responses"), DEFAULT_LOCALE))
    spoken = list(every_spoken(renderer, available_locales()))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        rows = list(pool.map(lambda item: measure(item, workdir), spoken))
    rows.sort(
        key=lambda row: (-len(row.misses()), -row.severity(), row.spoken.locale, row.spoken.name)
    )
    return SpeechResult(rows)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def table(rows: list[Measured]) -> list[str]:
    lines = [
        "| reply | locale | budget | words | s | budget s | to instruction s | |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        misses = row.misses()
        lines.append(
            f"| {row.spoken.name} | {row.spoken.locale} | "
            f"{'reprompt' if row.spoken.is_reprompt else row.spoken.category} | "
            f"{row.words}/{row.spoken.budget_words} | {row.seconds:.1f} | "
            f"{row.spoken.budget_seconds:.1f} | {_seconds(row.to_instruction)} | "
            f"{'MISS: ' + ', '.join(misses) if misses else 'ok'} |"
        )
    return lines


def report(result: SpeechResult, shown: int) -> list[str]:
    rows = result.rows
    over = [row for row in rows if row.misses()]
    relief = result.relief_rows()
    slowest = max(relief, key=lambda row: row.seconds)
    latest = max(relief, key=lambda row: 99.0 if row.to_instruction is None else row.to_instruction)
    if latest.to_instruction == 0.0:
        reached = "every one opens with its instruction"
    else:
        reached = (
            f"latest instruction at {_seconds(latest.to_instruction)} s "
            f"({latest.spoken.name}, {latest.spoken.locale})"
        )
    relief_shown = max(1, shown // 3)
    lines = [
        f"4. Speech: espeak-ng at {WPM} words a minute, breaks not counted; "
        f"{len(rows)} distinct replies and reprompts in {len(available_locales())} locales, "
        "worst first (full table: bench/results/speech.md)",
        "",
        *table(rows[: shown - relief_shown]),
        "",
        "The relief replies (the 12 s and 2 s target) closest to their limits:",
        "",
        *table(sorted(relief, key=lambda row: -row.seconds)[:relief_shown]),
        "",
        f"Within every budget: {len(rows) - len(over)} of {len(rows)}. "
        f"Relief replies: {len(relief)}; longest {slowest.seconds:.1f} s ({slowest.spoken.name},"
        f" {slowest.spoken.locale}); {reached}.",
    ]
    return lines


def passed_line(result: SpeechResult) -> str:
    return (
        f"{verdict(result.relief_passed())}  every relief reply at most "
        f"{RELIEF_MAX_SECONDS:.0f} s of speech, its instruction within "
        f"{INSTRUCTION_WITHIN_SECONDS:.0f} s"
    )
