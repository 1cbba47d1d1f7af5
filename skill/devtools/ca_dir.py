"""Where the development CA is kept: one folder shared by `serve --dev` and `simulate --url`, so
both agree on it: $CRAMP_RELIEF_DEV_CA_DIR if set, else $XDG_CACHE_HOME/cramp-relief/dev-ca, else
~/.cache/cramp-relief/dev-ca. A user cache folder rather than the Flask instance folder, because
an installed package's instance folder sits inside the Python prefix and may not be writable.

Apart from the CA itself (ca_folder.py) so that naming the folder, as the commands' help does,
loads no key code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

DEV_CA_DIR_ENV: Final = "CRAMP_RELIEF_DEV_CA_DIR"


def default_dev_ca_dir() -> Path:
    """The shared development CA folder (see the module docstring)."""
    configured = os.environ.get(DEV_CA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "cramp-relief" / "dev-ca"
