"""Locales: the default one, those we have (one interaction model each), and their fallbacks.

`en-GB` falls back to `en`, then to the default locale.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from skill.data import data_dir

# Answered when a request's locale has no folder; every locale's content falls back to it.
DEFAULT_LOCALE: Final = "en-US"


def available_locales() -> list[str]:
    """Locales that have an interaction model, from the file names, sorted."""
    return sorted(path.stem for path in data_dir("interaction_models").glob("*.json"))


def fallback_chain(locale: str, available: Collection[str], default: str) -> tuple[str, ...]:
    """The available folders to look in for `locale`, most specific first, without repeats."""
    wanted = [locale, locale.split("-", 1)[0], default]
    chain: list[str] = []
    for name in wanted:
        if name in available and name not in chain:
            chain.append(name)
    return tuple(chain)


def supported_locale(locale: object, available: Collection[str], default: str) -> str:
    """The locale to answer in: the one asked for, else one of its language, else the default."""
    if isinstance(locale, str):
        for name in (locale, locale.split("-", 1)[0]):
            if name in available:
                return name
        language = locale.split("-", 1)[0]
        for name in sorted(available):
            if name.split("-", 1)[0] == language:
                return name
    return default
