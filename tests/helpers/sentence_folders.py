"""A sentence-template folder (interaction_models/sentences/ in miniature) written for a test."""

from __future__ import annotations

import json
from pathlib import Path


def sentence_folder(tmp_path: Path, files: dict[str, object]) -> Path:
    """`files` (path under the folder -> content) written under tmp_path/sentences."""
    root = tmp_path / "sentences"
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content), encoding="utf-8")  # JSON is YAML too
    return root
