"""A normal (non-editable) install carries responses/ and interaction_models/ inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_content_and_runs_from_it(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("cramp_relief-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for locale in ("en-US", "en-GB"):
        assert f"skill/_data/interaction_models/{locale}.json" in names
    assert "skill/_data/responses/en-US/launch.ssml.j2" in names
    assert "skill/_data/responses/en-US/routines.toml" in names
    assert "skill/simulator/static/simulator.js" in names
    assert "skill/simulator/phrases/en.toml" in names
    # The screens, the privacy page, the certification walk and the simulated devices.
    assert "skill/_data/responses/en-US/apl/step.json" in names
    assert "skill/_data/responses/en-US/apl/_theme.json" in names
    assert "skill/_data/responses/en-US/pages/privacy.html.j2" in names
    assert "skill/_data/responses/en-US/package/certification.toml" in names
    assert "skill/simulator/devices.json" in names
    assert any(name.startswith("skill/simulator/templates/") for name in names)

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    # Run from the unpacked wheel alone (cwd elsewhere, the repository off the path): the skill
    # must find its content inside the package.
    script = (
        "import skill.data as m, json;"
        "from skill.content import ContentStore;"
        "from skill.speech import Renderer, Reply;"
        "assert '_data' in str(m.data_dir('responses')), m.data_dir('responses');"
        "r = Renderer(ContentStore(m.data_dir('responses'), 'en-US'));"
        "print(r.render('en-US', Reply('launch')).text);"
        # The app too: its APL documents and privacy pages load from the package.
        "from skill.app import create_app;"
        f"app = create_app({{'DATABASE': {str(tmp_path / 'db.sqlite3')!r}}});"
        "assert app.test_client().get('/privacy/en-GB').status_code == 200"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Stop any stretch")
