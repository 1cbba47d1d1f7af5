"""Locale fallback: `en-GB` falls back to `en`, then to the default locale."""

from __future__ import annotations

from collections.abc import Collection


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
