"""The place in a guided routine, kept across sessions in the persistent attributes.

A person who drops out of a routine (silence, stop, pause) can pick it up on the next launch, for a
short while. The store is a convenience, never a dependency: when it cannot be read or written
(no adapter, missing directory, locked or corrupt file) the error is logged and the skill carries
on as if nothing was saved, so relief is always spoken. What comes back from the store is checked
like anything from a client: a row with an unknown routine, an out-of-range step or a bad time is
no saved place at all.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from ask_sdk_core.exceptions import AttributesManagerException
from ask_sdk_core.handler_input import HandlerInput

from skill.persistence import PersistenceError
from skill.state import RoutinePosition, routine_position

log = logging.getLogger(__name__)

RESUME_KEY: Final = "resume"
# How long after leaving a routine the next launch offers to pick it up.
RESUME_WINDOW: Final = timedelta(minutes=15)
# Workers share one clock, but a clock stepped back a little must not hide a fresh save.
_CLOCK_SLACK: Final = timedelta(minutes=1)
_MAX_TIME_TEXT: Final = 64
# No adapter (persistence off) raises AttributesManagerException; the adapter's own failures
# raise PersistenceError.
_UNAVAILABLE: Final = (PersistenceError, AttributesManagerException)


def save_position(handler_input: HandlerInput, position: RoutinePosition, now: datetime) -> None:
    """Remember `position` as the place to pick up, stamped `now`; failures are only logged."""
    manager = handler_input.attributes_manager
    try:
        attributes = _stored(handler_input)
        attributes[RESUME_KEY] = {
            "routine": position.routine,
            "step": position.step,
            "saved_at": now.isoformat(),
        }
        manager.persistent_attributes = attributes
        manager.save_persistent_attributes()
    except _UNAVAILABLE as err:
        log.error("could not save the routine position, so no resume: %s", err)


def clear_position(handler_input: HandlerInput) -> None:
    """Forget the saved place (the routine is finished); failures are only logged."""
    manager = handler_input.attributes_manager
    try:
        attributes = _stored(handler_input)
        if RESUME_KEY not in attributes:
            return  # nothing saved: spare the write
        del attributes[RESUME_KEY]
        manager.persistent_attributes = attributes
        manager.save_persistent_attributes()
    except _UNAVAILABLE as err:
        log.error("could not clear the saved routine position: %s", err)


def recent_position(
    handler_input: HandlerInput, lengths: Mapping[str, int], now: datetime
) -> RoutinePosition | None:
    """The saved place if it was saved within RESUME_WINDOW of `now` and is still valid, paused."""
    try:
        raw = _stored(handler_input).get(RESUME_KEY)
    except _UNAVAILABLE as err:
        log.error("could not read the saved routine position, so no resume: %s", err)
        return None
    if not isinstance(raw, Mapping):
        return None
    position = routine_position({"routine": raw.get("routine"), "step": raw.get("step")}, lengths)
    saved_at = _aware_time(raw.get("saved_at"))
    if position is None or saved_at is None:
        return None
    if not -_CLOCK_SLACK <= now - saved_at <= RESUME_WINDOW:
        return None
    return replace(position, paused=True)


def _stored(handler_input: HandlerInput) -> dict[str, Any]:
    """A copy of this user's persistent attributes; a non-object (a bad row) reads as empty."""
    attributes = handler_input.attributes_manager.persistent_attributes
    return dict(attributes) if isinstance(attributes, Mapping) else {}


def _aware_time(raw: object) -> datetime | None:
    if not isinstance(raw, str) or len(raw) > _MAX_TIME_TEXT:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    # A time without a zone cannot be compared with the clock's; treat it as no time.
    return parsed if parsed.tzinfo is not None else None
