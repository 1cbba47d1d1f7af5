"""The APL documents of every locale, loaded and checked once at start.

Each locale's `responses/<locale>/apl/` holds one JSON document per screen, `_theme.json` (the
colours, viewport-aware sizes and styles every document shares, merged into each as it loads) and
`screens.toml` (which reply shows which document). Like templates, a locale folder holds only what
it shows differently: a document missing from `en-GB/apl/` comes from `en`, then the default.
"""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from skill.codec import PlainJson
from skill.locales import fallback_chain

APL_FOLDER: Final = "apl"
THEME_FILE: Final = "_theme.json"
SCREENS_FILE: Final = "screens.toml"


class AplError(ValueError):
    """An APL folder cannot be used: a missing or malformed document, theme or screens table."""


@dataclass(frozen=True)
class Screens:
    """Which document each reply template shows, and the speaking rate the countdown assumes."""

    default: str
    documents: Mapping[str, str]
    words_per_minute: float

    def document_for(self, template: str) -> str:
        return self.documents.get(template, self.default)


class AplDocuments:
    """Every locale's documents (theme merged in) and screens table, read once at start."""

    def __init__(self, root: Path, default_locale: str) -> None:
        self.root = root
        folders = tuple(sorted(p.name for p in root.iterdir() if (p / APL_FOLDER).is_dir()))
        if default_locale not in folders:
            raise AplError(f"no {APL_FOLDER}/ folder for the default locale {default_locale}")
        self.locales = tuple(sorted(p.name for p in root.iterdir() if p.is_dir()))
        self._documents: dict[str, Mapping[str, PlainJson]] = {}
        self._screens: dict[str, Screens] = {}
        # Each file parsed once, though every locale whose chain holds its folder uses it.
        self._parsed: dict[Path, dict[str, Any]] = {}
        for locale in self.locales:
            chain = fallback_chain(locale, folders, default_locale)
            self._documents[locale] = self._load_documents(chain)
            self._screens[locale] = self._load_screens(chain, self._documents[locale])

    def names(self, locale: str) -> tuple[str, ...]:
        return tuple(sorted(self._documents[self._known(locale)]))

    def document(self, locale: str, name: str) -> PlainJson:
        """The named document, theme merged in; AplError if this locale has none by that name."""
        documents = self._documents[self._known(locale)]
        if name not in documents:
            raise AplError(f"no APL document {name!r} for {locale}")
        return documents[name]

    def screens(self, locale: str) -> Screens:
        return self._screens[self._known(locale)]

    def _known(self, locale: str) -> str:
        if locale not in self._documents:
            raise AplError(f"no responses folder for {locale}")
        return locale

    def _load_documents(self, chain: tuple[str, ...]) -> Mapping[str, PlainJson]:
        theme = self._read_json(self._first(chain, THEME_FILE))
        documents: dict[str, PlainJson] = {}
        for folder in reversed(chain):  # the most specific folder wins
            for path in sorted((self.root / folder / APL_FOLDER).glob("*.json")):
                if not path.name.startswith("_"):
                    document = _with_theme(self._read_json(path), theme, path)
                    # Plain JSON from a file: the response codec can pass it through unwalked.
                    documents[path.stem] = PlainJson(document)
        return MappingProxyType(documents)

    def _load_screens(self, chain: tuple[str, ...], documents: Mapping[str, PlainJson]) -> Screens:
        path = self._first(chain, SCREENS_FILE)
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            screens = Screens(
                default=str(table["default"]),
                documents=MappingProxyType(
                    {str(k): str(v) for k, v in dict(table.get("documents", {})).items()}
                ),
                words_per_minute=float(table["timing"]["words_per_minute"]),
            )
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
            raise AplError(f"{path}: {error}") from error
        unknown = {screens.default, *screens.documents.values()} - set(documents)
        if unknown:
            raise AplError(f"{path} names documents that are not there: {sorted(unknown)}")
        if screens.words_per_minute <= 0:
            raise AplError(f"{path}: timing.words_per_minute must be above zero")
        return screens

    def _first(self, chain: tuple[str, ...], name: str) -> Path:
        for folder in chain:
            path = self.root / folder / APL_FOLDER / name
            if path.is_file():
                return path
        raise AplError(f"no {APL_FOLDER}/{name} for {chain[0]} or its fallbacks")

    def _read_json(self, path: Path) -> dict[str, Any]:
        """The file's object (shared between locales: callers copy before they change it)."""
        if path in self._parsed:
            return self._parsed[path]
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise AplError(f"{path}: {error}") from error
        if not isinstance(loaded, dict):
            raise AplError(f"{path}: an APL file must hold one JSON object")
        self._parsed[path] = loaded
        return loaded


def _with_theme(document: dict[str, Any], theme: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """`document` with the theme's resources in front of its own and the theme's styles under its
    own (a document may override a shared style by name)."""
    if document.get("type") != "APL" or not isinstance(document.get("mainTemplate"), dict):
        raise AplError(f"{path}: not an APL document (type APL with a mainTemplate)")
    merged = copy.deepcopy(document)
    resources = theme.get("resources", [])
    styles = theme.get("styles", {})
    if not isinstance(resources, list) or not isinstance(styles, dict):
        raise AplError(f"{THEME_FILE}: resources must be a list and styles an object")
    merged["resources"] = copy.deepcopy(resources) + list(document.get("resources", []))
    merged["styles"] = {**copy.deepcopy(styles), **dict(document.get("styles", {}))}
    return merged
