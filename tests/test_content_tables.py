"""Content spread over several TOML files of a locale folder, merged into one set of tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.content import ContentError, merged_tables


def test_every_toml_in_a_locale_folder_is_content(tmp_path: Path) -> None:
    (tmp_path / "en-US").mkdir()
    (tmp_path / "en-GB").mkdir()
    (tmp_path / "en-US" / "content.toml").write_text('[voice]\nrate = "90%"\n[a]\nx = 1\ny = 2\n')
    (tmp_path / "en-US" / "routines.toml").write_text("[routines.calf]\nsteps = [1, 2]\n")
    (tmp_path / "en-GB" / "routines.toml").write_text("[a]\ny = 3\n")
    assert merged_tables(tmp_path, "en-US", "en-US") == {
        "voice": {"rate": "90%"},
        "a": {"x": 1, "y": 2},
        "routines": {"calf": {"steps": [1, 2]}},
    }
    assert merged_tables(tmp_path, "en-GB", "en-US")["a"] == {"x": 1, "y": 3}
    assert merged_tables(tmp_path, "en-GB", "en-US")["routines"] == {"calf": {"steps": [1, 2]}}


def test_two_files_of_one_folder_may_not_share_a_table(tmp_path: Path) -> None:
    (tmp_path / "en-US").mkdir()
    (tmp_path / "en-US" / "a.toml").write_text("[phrases]\nx = 1\n")
    (tmp_path / "en-US" / "b.toml").write_text("[phrases]\ny = 1\n")
    with pytest.raises(ContentError, match="phrases"):
        merged_tables(tmp_path, "en-US", "en-US")
