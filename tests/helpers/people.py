"""People talking to the skill across sessions (resume): one user on one device at a fake
clock's time, and the words they hear."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from skill.envelopes import slot
from tests.helpers.alexa import AlexaClient, text_of

PLAIN_LAUNCH = (
    "Stop any stretch you are holding. Flex your foot, pulling your toes up toward your shin, "
    "and rub the tight spot gently. Want me to guide you through a stretch?"
)
RELIEF = (
    "Stop any stretch you are holding. "
    "Flex your foot, toes toward your shin, and rub the tight spot."
)


def offer(name: str, step: str) -> str:
    return f"{RELIEF} Or say continue to pick up the {name} at step {step}."


class FakeClock:
    """The skill's clock (config CLOCK); requests are stamped with it, so verification agrees."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Person:
    """One user on one device, talking across several sessions at the fake clock's time."""

    def __init__(self, alexa: AlexaClient, clock: FakeClock) -> None:
        self.alexa = alexa
        self.clock = clock

    def launch(self) -> dict[str, Any]:
        return self.alexa.send(self.alexa.conversation.launch(when=self.clock()))

    def say(self, intent: str, **slots: str) -> dict[str, Any]:
        built = {name: slot(name, value) for name, value in slots.items()}
        envelope = self.alexa.conversation.intent(intent, built or None, when=self.clock())
        return self.alexa.send(envelope)

    def silence(self) -> dict[str, Any]:
        """Alexa gave up waiting: the session ends with SessionEndedRequest."""
        envelope = self.alexa.conversation.session_ended(
            "EXCEEDED_MAX_REPROMPTS", when=self.clock()
        )
        return self.alexa.send(envelope)


def into_calf_step_three(person: Person) -> None:
    person.say("GuidedStretchIntent", muscle="calf")
    person.say("AMAZON.NextIntent")
    assert text_of(person.say("AMAZON.NextIntent")).startswith("Step three.")
