"""Log lines that requests cannot forge, and repeated errors said once a minute.

Intent names, request types and Alexa's error messages come from outside: a newline in one would
start a new, fake log line. Every message is written on one line with control characters escaped,
and traceback lines are indented, so only our own lines start at the left margin. An error that
repeats (the store down, so every launch fails to read a saved place) is logged the first time,
then at most once a minute with how many like it were held back.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Final

FORMAT: Final = "%(asctime)s %(levelname)s %(name)s %(message)s"
REPEAT_WINDOW_SECONDS: Final = 60.0
# Line and paragraph separators some log viewers break lines at, besides the C0/C1 controls.
_SEPARATORS: Final = frozenset({0x2028, 0x2029})
_MAX_KEYS: Final = 1024


def escape(text: str) -> str:
    """`text` on one line: control characters and line separators as \\x.. escapes.

    Backslashes stay as they are, so escaping twice changes nothing: a literal "\\x0a" in a
    request reads like an escaped newline, which is ambiguous but can never start a line.
    """
    if text.isprintable():
        return text
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif code in _SEPARATORS:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


class OneLineFormatter(logging.Formatter):
    """Escapes each message onto one line; indents traceback lines under it."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = escape(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: logging._SysExcInfoType) -> str:
        return "\n".join(f"    {escape(line)}" for line in super().formatException(ei).splitlines())

    def formatStack(self, stack_info: str) -> str:
        return "\n".join(f"    {escape(line)}" for line in stack_info.splitlines())


class RepeatFilter(logging.Filter):
    """Lets a warning or error through once per REPEAT_WINDOW_SECONDS per message template.

    Held-back records are counted, and the next one let through says how many there were.
    """

    def __init__(
        self,
        window: float = REPEAT_WINDOW_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._window = window
        self._monotonic = monotonic
        # (logger, level, template) -> (when last let through, how many held back since)
        self._seen: dict[tuple[str, int, str], tuple[float, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self._monotonic()
        with self._lock:
            last = self._seen.get(key)
            if last is not None and now - last[0] < self._window:
                self._seen[key] = (last[0], last[1] + 1)
                return False
            if len(self._seen) >= _MAX_KEYS:
                self._seen.clear()
            self._seen[key] = (now, 0)
        held = 0 if last is None else last[1]
        if held:
            record.msg = f"{record.getMessage()} ({held} more like this since the last one)"
            record.args = None
        return True


def handler(stream: object = None) -> logging.Handler:
    """A stderr handler with the one-line format and the repeat filter."""
    out = logging.StreamHandler(sys.stderr if stream is None else stream)  # type: ignore[arg-type]
    out.setFormatter(OneLineFormatter(FORMAT))
    out.addFilter(RepeatFilter())
    return out


def configure(level: int = logging.INFO) -> None:
    """Root logging for the `cramp-relief` command and the benchmark server: stderr, one line.

    Like logging.basicConfig, does nothing when the root logger has handlers already.
    """
    logging.basicConfig(level=level, handlers=[handler()])
