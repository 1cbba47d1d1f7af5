"""What Alexa itself understands, which no interaction model file lists.

Amazon trains its built-in intents (AMAZON.StopIntent and the rest) on phrases of its own; a
model only names the intent and may add samples. The simulator needs some of those phrases to
resolve "stop" or "yes" the way a device would, so the usual ones are kept here as data, per
language. They are a representative subset, not Amazon's (unpublished) full training set.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# Language (the part of a locale before the dash) -> built-in intent -> phrases.
BUILTIN_PHRASES: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "AMAZON.HelpIntent": (
                    "help",
                    "help me",
                    "i need help",
                    "what can i say",
                    "what can you do",
                    "how does this work",
                    "what are my options",
                ),
                "AMAZON.StopIntent": (
                    "stop",
                    "stop it",
                    "stop that",
                    "off",
                    "turn off",
                    "shut up",
                    "be quiet",
                    "quiet",
                    "enough",
                    "that's enough",
                ),
                "AMAZON.CancelIntent": (
                    "cancel",
                    "cancel that",
                    "never mind",
                    "nevermind",
                    "forget it",
                ),
                "AMAZON.NavigateHomeIntent": (
                    "home",
                    "go home",
                    "go to home",
                    "go to the home screen",
                ),
                "AMAZON.NextIntent": ("next", "next one", "skip ahead", "go forward", "forward"),
                "AMAZON.PreviousIntent": (
                    "previous",
                    "previous one",
                    "go back",
                    "back",
                    "go back one",
                    "last one",
                ),
                "AMAZON.RepeatIntent": (
                    "repeat",
                    "repeat that",
                    "repeat please",
                    "say that again",
                    "say it again",
                    "say again",
                    "come again",
                    "what did you say",
                    "pardon",
                ),
                "AMAZON.YesIntent": (
                    "yes",
                    "yeah",
                    "yep",
                    "yup",
                    "sure",
                    "okay",
                    "ok",
                    "alright",
                    "all right",
                    "of course",
                    "go ahead",
                    "yes please",
                    "sounds good",
                    "i do",
                ),
                "AMAZON.NoIntent": (
                    "no",
                    "nope",
                    "nah",
                    "no thanks",
                    "no thank you",
                    "not really",
                    "i don't",
                ),
                "AMAZON.StartOverIntent": (
                    "start over",
                    "start again",
                    "restart",
                    "begin again",
                    "from the top",
                    "start from the beginning",
                ),
                "AMAZON.PauseIntent": ("pause", "pause that", "hold on", "hold it"),
                "AMAZON.ResumeIntent": ("resume", "continue", "keep going", "unpause", "go on"),
            }
        ),
    }
)

# Said inside a session, these end it without reaching any intent: Alexa sends the skill a
# SessionEndedRequest with reason USER_INITIATED. "{invocation}" stands for the skill's name.
EXIT_PHRASES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "en": (
            "exit",
            "quit",
            "exit skill",
            "quit skill",
            "exit the skill",
            "quit the skill",
            "exit {invocation}",
            "quit {invocation}",
            "close {invocation}",
        ),
    }
)

# How people start a skill by name, from Amazon's "Understand How Users Invoke Custom Skills".
# Alone with the name they send a LaunchRequest; followed by "and <request>", a one-shot intent.
LAUNCH_WORDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "en": (
            "open",
            "launch",
            "start",
            "begin",
            "load",
            "run",
            "play",
            "resume",
            "use",
            "talk to",
            "start playing",
        ),
    }
)
# "ask <name> <connecting word> <request>" and "tell <name> ..."; the request may also follow the
# name directly ("ask cramp relief what causes cramps").
ASK_WORDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"en": ("ask", "tell")})
CONNECTING_WORDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"en": ("to", "about", "for", "if", "whether", "that", "and")}
)
# "<request> using <name>".
TRAILING_WORDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"en": ("using", "with", "from")}
)
WAKE_WORDS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"en": ("alexa",)})


def language_of(locale: str) -> str:
    """ "en" for "en-US": Amazon's built-in phrases differ by language, not by country."""
    return locale.split("-", 1)[0].casefold()
