"""Spoken content: typed, read-only, loaded and checked once at start (`ContentStore`)."""

from skill.content.schema import Lead, LocaleContent, Routine, Step
from skill.content.store import ContentError, ContentStore, merged_tables

__all__ = [
    "ContentError",
    "ContentStore",
    "Lead",
    "LocaleContent",
    "Routine",
    "Step",
    "merged_tables",
]
