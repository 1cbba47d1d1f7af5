"""`cramp-relief check-model`: exit 0 on the shipped models, non-zero with the reason on broken
copies, through the real CLI entry point."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skill.cli import main
from skill.data import data_dir
from skill.locales import DEFAULT_LOCALE, available_locales

LOCALES = available_locales()


def shipped(locale: str) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(
        (data_dir("interaction_models") / f"{locale}.json").read_text(encoding="utf-8")
    )
    return raw


def language(raw: dict[str, Any]) -> dict[str, Any]:
    model: dict[str, Any] = raw["interactionModel"]["languageModel"]
    return model


def intent(raw: dict[str, Any], name: str) -> dict[str, Any]:
    return next(item for item in language(raw)["intents"] if item["name"] == name)


def write(tmp_path: Path, raw: object, name: str = "model.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_shipped_models_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-model"]) == 0
    out = capsys.readouterr().out
    for locale in LOCALES:
        assert f"{locale}: OK" in out
    assert f"{len(LOCALES)} model(s) checked: 0 errors, 0 warnings" in out


@pytest.mark.parametrize("locale", LOCALES)
def test_one_locale(locale: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-model", "--locale", locale]) == 0
    out = capsys.readouterr().out
    assert f"{locale}: OK" in out
    assert "1 model(s) checked" in out


def test_unknown_locale_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-model", "--locale", "xx-XX"]) == 2
    assert "no interaction model for xx-XX" in capsys.readouterr().err


def test_a_clean_copy_passes_by_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, shipped(DEFAULT_LOCALE))
    assert main(["check-model", "--path", str(path)]) == 0
    assert f"{path}: OK" in capsys.readouterr().out


def remove_builtin(raw: dict[str, Any]) -> None:
    language(raw)["intents"].remove(intent(raw, "AMAZON.StopIntent"))


def steal_a_sample(raw: dict[str, Any]) -> None:
    intent(raw, "CauseIntent")["samples"].append("my {muscle} is cramping")


def undeclared_slot(raw: dict[str, Any]) -> None:
    intent(raw, "DoctorIntent")["samples"].append("should I see a doctor about {symptom}")


def undefined_type(raw: dict[str, Any]) -> None:
    intent(raw, "CrampReliefIntent")["slots"][0]["type"] = "BODY_PART"


def bad_invocation(raw: dict[str, Any]) -> None:
    language(raw)["invocationName"] = "Cramp Relief App"


BREAKAGES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("missing built-in", remove_builtin, "AMAZON.StopIntent"),
    ("sample in two intents", steal_a_sample, "my {muscle} is cramping"),
    ("undeclared slot", undeclared_slot, "{symptom}"),
    ("undefined slot type", undefined_type, "BODY_PART"),
    ("invocation name", bad_invocation, "Cramp Relief App"),
]


@pytest.mark.parametrize(
    ("breaks", "expected"),
    [pytest.param(breaks, expected, id=label) for label, breaks, expected in BREAKAGES],
)
def test_broken_copies_fail_with_the_reason(
    breaks: Callable[[dict[str, Any]], None],
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    raw = shipped(DEFAULT_LOCALE)
    breaks(raw)
    path = write(tmp_path, raw)
    assert main(["check-model", "--path", str(path)]) == 1
    out = capsys.readouterr().out
    assert "  error" in out
    assert expected in out
    assert f"{path}: " in out


def test_warnings_alone_do_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = shipped(DEFAULT_LOCALE)
    language(raw)["types"].append(
        {"name": "SPARE", "values": [{"id": "x", "name": {"value": "x"}}]}
    )
    path = write(tmp_path, raw)
    assert main(["check-model", "--path", str(path)]) == 0
    out = capsys.readouterr().out
    assert "warning unused-slot-type" in out
    assert "0 errors, 1 warning" in out


def test_errors_are_listed_before_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = shipped(DEFAULT_LOCALE)
    language(raw)["types"].append(
        {"name": "SPARE", "values": [{"id": "x", "name": {"value": "x"}}]}
    )
    remove_builtin(raw)
    assert main(["check-model", "--path", str(write(tmp_path, raw))]) == 1
    lines = [line.strip() for line in capsys.readouterr().out.splitlines() if line.startswith("  ")]
    assert [line.split()[0] for line in lines] == ["error", "warning"]


def test_every_file_is_reported_and_any_error_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, shipped(DEFAULT_LOCALE), "good.json")
    raw = shipped(DEFAULT_LOCALE)
    remove_builtin(raw)
    bad = write(tmp_path, raw, "bad.json")
    assert (
        main(["check-model", "--locale", LOCALES[0], "--path", str(good), "--path", str(bad)]) == 1
    )
    out = capsys.readouterr().out
    assert f"{LOCALES[0]}: OK" in out
    assert f"{good}: OK" in out
    assert f"{bad}: 1 error" in out
    assert "3 model(s) checked: 1 error, 0 warnings" in out


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"{not json", "json"),
        (b"[]", "structure"),
        (b"{}", "structure"),
        (b'\xef\xbb\xbf{"interactionModel": {}}', "byte-order-mark"),
    ],
)
def test_malformed_files_are_errors(
    content: bytes, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(content)
    assert main(["check-model", "--path", str(path)]) == 1
    assert f"error   {code}:" in capsys.readouterr().out


def test_missing_file_is_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-model", "--path", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
