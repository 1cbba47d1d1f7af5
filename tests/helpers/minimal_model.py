"""A small interaction model that passes every check, for tests that break one part of it."""

from __future__ import annotations

import copy
from typing import Any

from skill.interaction_model import REQUIRED_BUILTINS


def minimal() -> dict[str, Any]:
    """A small model that passes every check; each test that uses it breaks one thing."""
    return copy.deepcopy(
        {
            "interactionModel": {
                "languageModel": {
                    "invocationName": "cramp relief",
                    "intents": [
                        {
                            "name": "CrampReliefIntent",
                            "slots": [{"name": "muscle", "type": "MUSCLE"}],
                            "samples": ["cramp", "my {muscle} is cramping", "I've got a cramp"],
                        },
                        {
                            "name": "CauseIntent",
                            "slots": [],
                            "samples": ["why", "what causes cramps", "why does this happen"],
                        },
                        *({"name": name, "samples": []} for name in REQUIRED_BUILTINS),
                        {"name": "AMAZON.NextIntent", "samples": ["next"]},
                    ],
                    "types": [
                        {
                            "name": "MUSCLE",
                            "values": [
                                {"id": "foot", "name": {"value": "foot", "synonyms": ["feet"]}},
                                {"id": "calf", "name": {"value": "calf", "synonyms": []}},
                            ],
                        }
                    ],
                }
            }
        }
    )


def lm(raw: dict[str, Any]) -> dict[str, Any]:
    """The raw model's languageModel, to change in place."""
    language: dict[str, Any] = raw["interactionModel"]["languageModel"]
    return language
