"""What the app hands every handler and interceptor at construction (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from skill.apl.documents import AplDocuments
from skill.content import ContentStore
from skill.conversation.relief import Relief
from skill.conversation.reminder_talk import Reminders
from skill.conversation.routines import Routines
from skill.conversation.tips import Tips
from skill.slots import SlotResolver
from skill.speech import Renderer


@dataclass(frozen=True)
class Services:
    renderer: Renderer
    slots: SlotResolver
    clock: Callable[[], datetime]
    routines: Routines = field(default_factory=Routines)
    tips: Tips = field(default_factory=Tips)
    relief: Relief = field(default_factory=Relief)
    # The APL documents shown on devices with a screen; None shows nothing on any device.
    screens: AplDocuments | None = None
    reminders: Reminders = field(default_factory=Reminders)

    @property
    def content(self) -> ContentStore:
        """The content store the renderer fills its templates from."""
        return self.renderer.store
