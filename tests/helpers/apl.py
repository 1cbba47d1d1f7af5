"""Amazon's APL validator (apl-suggester, in tools/apl), run over documents and datasources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

APL_TOOLS = Path(__file__).resolve().parents[2] / "tools" / "apl"


def _required() -> bool:
    return os.environ.get("CI") == "true" or bool(os.environ.get("REQUIRE_APL_VALIDATOR"))


def apl_findings(
    cases: Mapping[str, tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> dict[str, Any]:
    """apl-suggester's findings for each named (document, datasources); {} entries when clean."""
    node = shutil.which("node")
    missing = (
        "node is not installed (apt-get install nodejs npm)"
        if node is None
        else "tools/apl/node_modules is missing (cd tools/apl && npm ci)"
        if not (APL_TOOLS / "node_modules" / "apl-suggester").is_dir()
        else None
    )
    if missing is not None:
        if _required():
            pytest.fail(f"the APL validator is required here (CI) but {missing}")
        pytest.skip(f"APL validator unavailable: {missing}")
    payload = {
        "cases": [
            {"name": name, "document": document, "datasources": datasources}
            for name, (document, datasources) in cases.items()
        ]
    }
    done = subprocess.run(
        [str(node), str(APL_TOOLS / "validate.js")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=APL_TOOLS,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report
