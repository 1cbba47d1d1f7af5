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
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.exceptions import AttributesManagerException

from skill.conversation.state import RoutinePosition, routine_position
from skill.storage import PersistenceError

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


class SavedPlaces:
    """This user's saved place in a routine, read and written through the SDK's persistent
    attributes (the store the app was built with), stamped by the app's clock."""

    def __init__(self, manager: AttributesManager, clock: Callable[[], datetime]) -> None:
        self._manager = manager
        self._clock = clock

    def save(self, position: RoutinePosition) -> None:
        """Remember `position` as the place to pick up, stamped now; failures are only logged."""
        try:
            attributes = self._stored()
            attributes[RESUME_KEY] = {
                "routine": position.routine,
                "step": position.step,
                "saved_at": self._clock().isoformat(),
            }
            self._manager.persistent_attributes = attributes
            self._manager.save_persistent_attributes()
        except _UNAVAILABLE as err:
            log.error("could not save the routine position, so no resume: %s", err)

    def clear(self) -> None:
        """Forget the saved place (the routine is finished); failures are only logged."""
        try:
            attributes = self._stored()
            if RESUME_KEY not in attributes:
                return  # nothing saved: spare the write
            del attributes[RESUME_KEY]
            self._manager.persistent_attributes = attributes
            self._manager.save_persistent_attributes()
        except _UNAVAILABLE as err:
            log.error("could not clear the saved routine position: %s", err)

    def forget_user(self) -> bool:
        """Delete everything kept for this user (the whole row, hashed id included); False when
        the store could not be reached, so nothing may be claimed."""
        try:
            self._manager.delete_persistent_attributes()
        except AttributesManagerException:
            return True  # no store at all: nothing was ever kept
        except PersistenceError as err:
            log.error("could not delete what is kept for a user: %s", err)
            return False
        return True

    def recent(self, lengths: Mapping[str, int]) -> RoutinePosition | None:
        """The saved place if saved within RESUME_WINDOW of now and still valid, paused."""
        try:
            raw = self._stored().get(RESUME_KEY)
        except _UNAVAILABLE as err:
            log.error("could not read the saved routine position, so no resume: %s", err)
            return None
        if not isinstance(raw, Mapping):
            return None
        position = routine_position(
            {"routine": raw.get("routine"), "step": raw.get("step")}, lengths
        )
        saved_at = _aware_time(raw.get("saved_at"))
        if position is None or saved_at is None:
            return None
        if not -_CLOCK_SLACK <= self._clock() - saved_at <= RESUME_WINDOW:
            return None
        return replace(position, paused=True)

    def _stored(self) -> dict[str, Any]:
        """A copy of this user's persistent attributes; a non-object (a bad row) reads as empty."""
        attributes = self._manager.persistent_attributes
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
