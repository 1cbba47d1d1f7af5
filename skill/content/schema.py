"""The shape of content: one frozen dataclass per table of responses/<locale>/*.toml. A field is a
key the content must have, of its type (one with a default may be left out); `skill.content.store`
builds these from the TOML once at start and refuses anything else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from skill.clock import ClockTime


@dataclass(frozen=True)
class Text:
    """A table holding one sentence (cause, disclaimer, fallback, red_flag)."""

    text: str


@dataclass(frozen=True)
class Voice:
    """SSML prosody for every response."""

    rate: str
    volume: str


@dataclass(frozen=True)
class ReliefLead:
    stop: str


@dataclass(frozen=True)
class Still:
    """Still cramping: the first answer, and the one when asked again."""

    first: str
    again: str


@dataclass(frozen=True)
class Doctor:
    text: str
    emergency: str


@dataclass(frozen=True)
class Line:
    """A safety route's first sentence, and the one short sentence that may follow it."""

    text: str
    after: str


@dataclass(frozen=True)
class RedFlag:
    """Route 3: see a doctor soon; `with_relief` follows the relief when a cramp was mentioned."""

    text: str
    after: str
    with_relief: str


@dataclass(frozen=True)
class HeatOrCold:
    """Warmth or cold: both compared, or the one chosen."""

    both: str
    heat: str
    cold: str


@dataclass(frozen=True)
class Tips:
    """Prevention tips by TIP_TOPIC id, and the order they come in when none is named."""

    order: tuple[str, ...]
    text: Mapping[str, str]
    unknown: str  # said of a topic with no fact of ours
    not_topics: tuple[str, ...] = ()  # named with a topic's word, yet none ("tonic water")


@dataclass(frozen=True)
class Phrases:
    offer_stretch: str
    offer_stretch_short: str
    offer_tip: str
    offer_tip_short: str
    offer_another_tip: str
    offer_another_tip_short: str


@dataclass(frozen=True)
class Step:
    """One step of a routine; `hold` in seconds, and its lead and release if not the usual."""

    text: str
    cue: str | None = None
    hold: int | None = None
    hold_lead: str | None = None
    release: str | None = None


@dataclass(frozen=True)
class Routine:
    """A guided routine: spoken name, MUSCLE slot ids that ask for it, and its steps."""

    name: str
    muscles: tuple[str, ...]
    steps: tuple[Step, ...]
    # "reminder": at its end, offer the nightly reminder (skill.conversation.reminders).
    offer: str | None = None

    @property
    def offers_reminder(self) -> bool:
        return self.offer == "reminder"


class Lead(StrEnum):
    """What is said in front of a step, to say why it is this one; skill.conversation.routines
    picks it, the step template says it (START names the routine, the others are `Leads`)."""

    BACK = "back"
    SKIP = "skip"
    RESUME = "resume"
    START = "start"
    FIRST = "first"
    OVER = "over"

    @property
    def first_step_only(self) -> bool:
        """Whether this lead only ever comes before step one (a start, back at the first step,
        start over)."""
        return self in (Lead.START, Lead.FIRST, Lead.OVER)


@dataclass(frozen=True)
class Leads:
    """The words of each `Lead` but START, by its value ("Going back.")."""

    back: str
    skip: str
    resume: str
    first: str
    over: str


@dataclass(frozen=True)
class RoutineWords:
    say_next: str
    say_next_short: str
    say_continue: str
    hold_lead: str
    release: str
    help: str
    not_caught: str
    lead: Leads


@dataclass(frozen=True)
class Resume:
    """Launch with a place to pick up: the shortened relief, and the reprompt."""

    relief: str
    reprompt: str


@dataclass(frozen=True)
class Numbers:
    """Numbers as people say them, by value."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Sign:
    """A warning sign and its safety route (docs/facts.md): by RED_FLAG id, or by the words said."""

    id: str
    route: int
    words: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()
    leg_route: int | None = None
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Safety:
    """The safety routes as data (responses/<locale>/safety.toml)."""

    leg_muscles: tuple[str, ...]
    leg_words: tuple[str, ...]
    cramp_words: tuple[str, ...]
    remedies: tuple[str, ...]
    idioms: tuple[str, ...]
    negators: tuple[str, ...]  # "no", "isn't": a sign said as absent (conversation/negation.py)
    negation_skips: tuple[str, ...]  # "really" in "not really swollen"
    signs: tuple[Sign, ...]


@dataclass(frozen=True)
class Forget:
    """ "Forget me": what is said once everything kept is deleted, or when it could not be."""

    done: str
    failed: str


@dataclass(frozen=True)
class Clock:
    """How a time of day is said around its numbers: "ten oh five p.m.", "midnight"."""

    oh: str  # before a minute under ten
    am: str
    pm: str
    midnight: str
    noon: str


@dataclass(frozen=True)
class Unavailable:
    """What could not be done just now, per reminder action."""

    set: str
    move: str
    cancel: str
    check: str


@dataclass(frozen=True)
class Reminders:
    """The nightly bedtime reminder: what Alexa says when it goes off, the time offered when none
    is named ("HH:MM"), the IANA zone used when the device's cannot be read and its words."""

    text: str
    default_time: str
    fallback_zone: str
    zone_words: str
    unavailable: Unavailable
    clock: Clock

    def offered_time(self) -> ClockTime:
        """default_time as a time of day (the content store refuses content where it is not)."""
        time = ClockTime.parse(self.default_time)
        if time is None:
            raise ValueError(f"reminders.default_time {self.default_time!r} is not HH:MM")
        return time


@dataclass(frozen=True)
class Listing:
    """The Skills Store listing (store.toml), never spoken; `export` puts it in skill.json."""

    name: str
    summary: str
    description: str
    example_phrases: tuple[str, ...]
    keywords: tuple[str, ...]
    # ISO 3166-1 alpha-2 countries the locale is offered in.
    countries: tuple[str, ...]


@dataclass(frozen=True)
class LocaleContent:
    """Everything one locale says, its own keys over its fallbacks'."""

    voice: Voice
    relief: Mapping[str, str]
    relief_lead: ReliefLead
    still: Still
    cause: Text
    doctor: Doctor
    emergency: Line
    today: Line
    disclaimer: Text
    tips: Tips
    phrases: Phrases
    fallback: Text
    red_flag: RedFlag
    heat_or_cold: HeatOrCold
    stretch_hurts: Text
    cramp_gone: Text
    routines: Mapping[str, Routine]
    # The routine a bare "guide me through a stretch" (or yes to the offer of one) starts.
    default_routine: str
    routine_words: RoutineWords
    resume: Resume
    numbers: Numbers
    safety: Safety
    forget: Forget
    reminders: Reminders
    listing: Listing

    def routine_for_muscle(self, muscle: str | None) -> str | None:
        """The routine whose `muscles` list names `muscle` (a MUSCLE slot id), if any."""
        for name, routine in self.routines.items():
            if muscle is not None and muscle in routine.muscles:
                return name
        return None
