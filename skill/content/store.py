"""The content store: responses/<locale>/*.toml read once, checked against `schema`, read-only.

Each locale's content is its folder's tables over its fallbacks' (`en-GB` over `en` over the
default), merged key by key, so a folder holds only what it says differently. The merged tables are
then built into `LocaleContent`: a missing key, a key of the wrong type or an unknown key raises
ContentError when the store is made (at app start), never in the middle of a conversation.
"""

from __future__ import annotations

import tomllib
import types
from collections.abc import Collection, Iterable, Mapping
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path
from typing import Any, Final, Union, get_args, get_origin, get_type_hints

from skill.clock import ClockTime, known_zones
from skill.content.schema import LocaleContent
from skill.locales import fallback_chain

CONTENT_GLOB: Final = "*.toml"


class ContentError(ValueError):
    """Content that cannot be used: a file clash, or a key missing, mistyped or unknown."""


def folders_under(root: Path) -> tuple[str, ...]:
    """Locale folders present under `root`, discovered rather than listed."""
    return tuple(sorted(path.name for path in root.iterdir() if path.is_dir()))


def merged_tables(root: Path, locale: str, default_locale: str) -> Mapping[str, Any]:
    """The raw TOML content of `locale`: every content file of its folder over its fallbacks'.

    Within one folder the files are merged in name order and may not both define the same
    top-level key, so no file silently overrides a sibling.
    """
    merged: dict[str, Any] = {}
    for folder in reversed(fallback_chain(locale, folders_under(root), default_locale)):
        merged = _deep_merge(merged, _folder_tables(root / folder))
    return merged


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _folder_tables(folder: Path) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for path in sorted(folder.glob(CONTENT_GLOB)):
        if not path.is_file():
            continue
        try:
            loaded = tomllib.loads(path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise ContentError(f"{folder.name}/{path.name}: {err}") from err
        for key in loaded:
            if key in owner:
                raise ContentError(
                    f"{folder.name}: {path.name} and {owner[key]} both define {key!r}"
                )
            owner[key] = path.name
        merged.update(loaded)
    return merged


def build(cls: type[Any], raw: object, where: str) -> Any:
    """An instance of the frozen dataclass `cls` from TOML data, or ContentError saying where."""
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where}: expected a table")
    hints = get_type_hints(cls)
    names = {field.name for field in fields(cls)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ContentError(f"{where}: unknown key {unknown[0]!r}")
    values: dict[str, Any] = {}
    for field in fields(cls):
        if field.name in raw:
            values[field.name] = _value(hints[field.name], raw[field.name], f"{where}.{field.name}")
        elif field.default is MISSING:
            raise ContentError(f"{where}: missing key {field.name!r}")
    return cls(**values)


def _value(hint: Any, raw: object, where: str) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        # Only `X | None` is used: TOML has no null, so a present value is an X.
        (inner,) = (arg for arg in get_args(hint) if arg is not type(None))
        return _value(inner, raw, where)
    if origin is tuple:
        if not isinstance(raw, list):
            raise ContentError(f"{where}: expected a list")
        item = get_args(hint)[0]
        return tuple(_value(item, value, f"{where}[{i}]") for i, value in enumerate(raw))
    if origin is Mapping:
        if not isinstance(raw, Mapping):
            raise ContentError(f"{where}: expected a table")
        item = get_args(hint)[1]
        return types.MappingProxyType(
            {str(key): _value(item, value, f"{where}.{key}") for key, value in raw.items()}
        )
    if is_dataclass(hint):
        return build(hint, raw, where)  # type: ignore[arg-type]
    return _scalar(hint, raw, where)


def _scalar(hint: Any, raw: object, where: str) -> Any:
    # bool is an int in Python, but a TOML true is not a number of seconds.
    if hint is int and (isinstance(raw, bool) or not isinstance(raw, int)):
        raise ContentError(f"{where}: expected a whole number")
    if hint is str and not isinstance(raw, str):
        raise ContentError(f"{where}: expected text")
    if hint not in (int, str):
        raise ContentError(f"{where}: no reader for {hint!r}")
    return raw


def check(content: LocaleContent, where: str) -> None:
    """What the types alone cannot say: names that refer to other keys, and numbers to say."""
    if content.default_routine not in content.routines:
        raise ContentError(f"{where}: default_routine {content.default_routine!r} is no routine")
    missing_tips = [tip for tip in content.tips.order if tip not in content.tips.text]
    if missing_tips:
        raise ContentError(f"{where}: tips.order names {missing_tips[0]!r}, which has no text")
    if "general" not in content.relief:
        raise ContentError(f"{where}: relief has no 'general' instruction")
    largest = max(
        max(len(routine.steps), *(step.hold or 0 for step in routine.steps))
        for routine in content.routines.values()
    )
    if largest >= len(content.numbers.words):
        raise ContentError(f"{where}: numbers.words stops before {largest}")
    _check_reminders(content, where)
    for name, routine in content.routines.items():
        if routine.offer not in (None, "reminder"):
            raise ContentError(f"{where}: routines.{name}.offer is not 'reminder'")


# A reminder's time is said with numbers.words: hours to twelve, minutes to fifty-nine.
_CLOCK_NUMBERS: Final = 60


def _check_reminders(content: LocaleContent, where: str) -> None:
    reminders = content.reminders
    if ClockTime.parse(reminders.default_time) is None:
        raise ContentError(f"{where}: reminders.default_time must be HH:MM")
    if reminders.fallback_zone not in known_zones():
        raise ContentError(f"{where}: reminders.fallback_zone is no known time zone")
    if len(content.numbers.words) < _CLOCK_NUMBERS:
        raise ContentError(f"{where}: numbers.words stops before {_CLOCK_NUMBERS - 1}")


class ContentStore:
    """Every locale's content, built and checked when the store is made; read-only after."""

    def __init__(self, root: Path, default_locale: str, locales: Iterable[str] = ()) -> None:
        self.root = root
        self.default_locale = default_locale
        self.folders = folders_under(root)
        wanted = {*self.folders, *locales}
        self._content: Mapping[str, LocaleContent] = types.MappingProxyType(
            {locale: self._load(locale) for locale in sorted(wanted)}
        )

    def _load(self, locale: str) -> LocaleContent:
        where = f"{self.root.name}/{locale}"
        content: LocaleContent = build(
            LocaleContent, merged_tables(self.root, locale, self.default_locale), where
        )
        check(content, where)
        return content

    @property
    def locales(self) -> Collection[str]:
        """The locales content was built for: every folder, and any named at start."""
        return self._content.keys()

    def chain(self, locale: str) -> tuple[str, ...]:
        """The folders to look in for `locale`, most specific first."""
        return fallback_chain(locale, self.folders, self.default_locale)

    def content(self, locale: str) -> LocaleContent:
        """The content of `locale`; one not built at start is that of its first fallback folder,
        which merges the same folders."""
        found = self._content.get(locale)
        return found if found is not None else self._content[self.chain(locale)[0]]
