"""`simulate --speak`: when espeak-ng runs but no audio device plays, the user is told so once."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from skill.locales import DEFAULT_LOCALE
from skill.simulator.speaker import NO_AUDIO_HINT, Speaker

ALSA_FAILURE = """ALSA lib confmisc.c:855:(parse_card) cannot find card '0'
ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default
error: No such file or directory"""


def _fake_espeak(folder: Path, stderr: str, status: int = 0) -> None:
    fake = folder / "espeak-ng"
    fake.write_text(f"#!/bin/sh\ncat > /dev/null\ncat >&2 <<'END'\n{stderr}\nEND\nexit {status}\n")
    fake.chmod(0o755)


def test_no_audio_device_is_reported_once_and_speaking_stops(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fake_espeak(tmp_path, ALSA_FAILURE)  # as espeak-ng does on a machine without sound: exit 0
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    errors = io.StringIO()
    speaker = Speaker(DEFAULT_LOCALE, errors)
    speaker.speak("<speak>Flex your foot.</speak>")
    speaker.speak("<speak>Again.</speak>")
    assert errors.getvalue() == NO_AUDIO_HINT + "\n"
    assert not speaker.available


def test_a_quiet_success_says_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "espeak-ng"
    fake.write_text("#!/bin/sh\ncat > /dev/null\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    errors = io.StringIO()
    speaker = Speaker(DEFAULT_LOCALE, errors)
    speaker.speak("<speak>Flex your foot.</speak>")
    assert errors.getvalue() == ""
    assert speaker.available


def test_another_failure_gives_its_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fake_espeak(tmp_path, "espeak-ng: voice not found", status=1)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    errors = io.StringIO()
    Speaker("xx-XX", errors).speak("<speak>Hello.</speak>")
    assert "voice not found" in errors.getvalue()
    assert NO_AUDIO_HINT not in errors.getvalue()
