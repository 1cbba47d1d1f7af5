"""The salt file beside an SQLite database: created once, atomically, private."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from skill.storage.base import SALT_BYTES, PersistenceError

__all__ = ["load_or_create_salt"]


def load_or_create_salt(path: Path) -> bytes:
    """Return this install's salt, creating it (mode 0600) on first use.

    The salt is written to a private temporary file and then hard-linked into place, so the final
    name appears atomically with its full content: a racing process either wins the link or reads
    the winner's complete salt, never an empty or half-written file.
    """
    try:
        return _read_salt(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise PersistenceError(f"cannot read salt file: {exc.strerror or exc}") from exc

    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(SALT_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # another process won the race: use its salt
            os.link(tmp, path)
        return _read_salt(path)
    except OSError as exc:
        raise PersistenceError(f"cannot create salt file: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _read_salt(path: Path) -> bytes:
    salt = path.read_bytes()
    if len(salt) != SALT_BYTES:
        # Regenerating would silently orphan every stored row, so make the operator look at it.
        raise PersistenceError(f"salt file has {len(salt)} bytes, expected {SALT_BYTES}")
    return salt
