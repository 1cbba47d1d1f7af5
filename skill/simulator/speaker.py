"""Reading replies aloud through espeak-ng, for `simulate --speak`."""

from __future__ import annotations

import shutil
import subprocess
from typing import Final, TextIO

ESPEAK: Final = "espeak-ng"
INSTALL_HINT: Final = (
    f"{ESPEAK} is not installed, so --speak is off (on Debian or Ubuntu: sudo apt install {ESPEAK})"
)
NO_AUDIO_HINT: Final = (
    f"{ESPEAK} could not play the reply: no audio device is available here (no sound card, or no "
    "PulseAudio/PipeWire server to reach), so --speak is off from here; the text is printed as ever"
)
_SPEAK_TIMEOUT_SECONDS: Final = 120
# espeak-ng exits 0 even when nothing was heard: it only says so on stderr, in the words of the
# audio library it tried (ALSA, PulseAudio, PortAudio) or its own "Failed to open audio".
_NO_AUDIO_MARKERS: Final = ("alsa lib", "unknown pcm", "cannot find card", "audio", "pulse")


class Speaker:
    """Speaks SSML with espeak-ng if it is installed; otherwise says once why it cannot."""

    def __init__(self, locale: str, errors: TextIO) -> None:
        self.executable = shutil.which(ESPEAK)
        # espeak-ng names its voices in lower case: "en-us", "en-gb".
        self.voice = locale.casefold()
        self.errors = errors
        if self.executable is None:
            print(INSTALL_HINT, file=errors)

    @property
    def available(self) -> bool:
        return self.executable is not None

    def speak(self, ssml_or_text: str) -> None:
        """Speak and wait until done; a failure is reported once and turns speaking off."""
        if self.executable is None or not ssml_or_text.strip():
            return
        # -m: the input is SSML, so <break> and <prosody> are honoured; plain text is fine too.
        # The words go in on stdin, so text that starts with "-" is never read as an option.
        command = [self.executable, "-v", self.voice, "-m", "--stdin"]
        try:
            result = subprocess.run(
                command,
                input=ssml_or_text,
                capture_output=True,
                text=True,
                timeout=_SPEAK_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            self._give_up(str(error))
            return
        complaint = result.stderr.strip()
        if complaint and any(marker in complaint.casefold() for marker in _NO_AUDIO_MARKERS):
            print(NO_AUDIO_HINT, file=self.errors)
            self.executable = None
        elif result.returncode != 0:
            self._give_up(complaint or f"exit status {result.returncode}")

    def _give_up(self, reason: str) -> None:
        print(f"{ESPEAK} failed ({reason}); --speak is off from here", file=self.errors)
        self.executable = None
