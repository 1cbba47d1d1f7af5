"""Where the data folders are: inside the package in a wheel, at the top of a checkout."""

from __future__ import annotations

from pathlib import Path
from typing import Final

DATA_NAMES: Final = frozenset({"responses", "interaction_models"})


def data_dir(name: str) -> Path:
    """The folder holding `name` ("responses" or "interaction_models").

    A wheel ships the folders inside the package (skill/_data); a checkout keeps them at the top of
    the repository.
    """
    if name not in DATA_NAMES:
        raise ValueError(f"unknown data folder {name!r}; expected one of {sorted(DATA_NAMES)}")
    package = Path(__file__).resolve().parent
    packaged = package / "_data" / name
    if packaged.is_dir():
        return packaged
    return package.parent / name
