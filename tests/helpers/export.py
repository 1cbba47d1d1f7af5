"""What the export tests share: the endpoint they export for, and JSON read back from a package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ENDPOINT = "https://cramps.example.com/alexa"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
