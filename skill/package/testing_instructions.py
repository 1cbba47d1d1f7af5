"""The testing instructions for Amazon's certification team, from package/certification.toml.

They walk a certifier through every intent of the interaction model in the order a person meets
them; tests/test_certification.py plays the same steps through the simulator, so the
instructions cannot name a phrase that does not reach its intent.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from skill.data import data_dir
from skill.locales import DEFAULT_LOCALE

CERTIFICATION_FILE: Final = "certification.toml"


class InstructionsError(ValueError):
    """certification.toml is missing or malformed."""


@dataclass(frozen=True)
class TestStep:
    """One thing to say, the intent (or LaunchRequest) it reaches, and what the skill does."""

    say: str
    intent: str
    expect: str


@dataclass(frozen=True)
class TestingInstructions:
    intro: str
    steps: tuple[TestStep, ...]

    def text(self) -> str:
        """As the certifier reads it: the introduction, then numbered steps."""
        lines = [self.intro.strip(), ""]
        lines += [
            f'{number}. Say "{step.say}". {step.expect}'
            for number, step in enumerate(self.steps, start=1)
        ]
        return "\n".join(lines)


def load_instructions(path: Path | None = None) -> TestingInstructions:
    """The default locale's instructions (skill.json has one set, for every locale)."""
    path = path or data_dir("responses") / DEFAULT_LOCALE / "package" / CERTIFICATION_FILE
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        instructions = TestingInstructions(
            intro=str(table["intro"]),
            steps=tuple(
                TestStep(say=str(s["say"]), intent=str(s["intent"]), expect=str(s["expect"]))
                for s in table["steps"]
            ),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise InstructionsError(f"{path}: {error}") from error
    if not instructions.steps:
        raise InstructionsError(f"{path}: no steps")
    return instructions
