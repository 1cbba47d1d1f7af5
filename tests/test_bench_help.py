"""Each benchmark's command line says how it is run and shows its docstring as written."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["bench", "bench.server", "bench.soak", "bench.storage", "bench.workers"]


@pytest.mark.parametrize("name", MODULES)
def test_help_names_the_command_and_keeps_the_docstring_lines(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    module = importlib.import_module("bench.__main__" if name == "bench" else name)
    with pytest.raises(SystemExit) as exited:
        module.main(["--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"usage: python -m {name} ")
    # The docstrings hold commands and numbered lists on lines of their own: not rewrapped.
    doc = module.__doc__ or ""
    assert "\n".join(doc.strip().splitlines()[:3]) in shown
