"""The documented shape of a Reminders API request body, as the stand-in checks it.

From the Reminders API reference: requestTime and trigger times are local ISO 8601 date-times
without a zone; a SCHEDULED_ABSOLUTE trigger has a scheduledTime or a recurrence with RFC 5545
recurrenceRules (which then override freq/byDay/scheduledTime); alertInfo.spokenInfo.content holds
one entry per locale with its text; pushNotification.status is ENABLED or DISABLED.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from skill.clock import known_zones

_TRIGGER_TYPES: Final = frozenset({"SCHEDULED_ABSOLUTE", "SCHEDULED_RELATIVE"})
_PUSH_STATUSES: Final = frozenset({"ENABLED", "DISABLED"})
# RFC 5545 parts the reference's recurrenceRules examples use.
_RULE_PART: Final = re.compile(
    r"(FREQ=(DAILY|WEEKLY)|BYDAY=((MO|TU|WE|TH|FR|SA|SU),?)+|BYHOUR=\d{1,2}|BYMINUTE=\d{1,2}"
    r"|BYSECOND=\d{1,2}|INTERVAL=\d{1,3})"
)
_LOCAL_TIME: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def _local_time(value: object) -> bool:
    return isinstance(value, str) and _LOCAL_TIME.fullmatch(value) is not None


def reminder_request_problem(body: object) -> str | None:
    """What is wrong with a ReminderRequest body, or None when it has the documented shape."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    request_time = body.get("requestTime")
    if not _local_time(request_time):
        return "requestTime must be a local ISO 8601 date-time without a zone"
    return _trigger_problem(body.get("trigger")) or _alert_problem(body)


def _trigger_problem(trigger: object) -> str | None:
    if not isinstance(trigger, dict) or trigger.get("type") not in _TRIGGER_TYPES:
        return "trigger.type must be SCHEDULED_ABSOLUTE or SCHEDULED_RELATIVE"
    if trigger["type"] == "SCHEDULED_RELATIVE":
        offset = trigger.get("offsetInSeconds")
        return None if isinstance(offset, int) and offset > 0 else "offsetInSeconds required"
    zone = trigger.get("timeZoneId")
    if zone is not None and zone not in known_zones():
        return "timeZoneId is not a known time zone"
    recurrence = trigger.get("recurrence")
    if recurrence is None:
        ok = _local_time(trigger.get("scheduledTime"))
        return None if ok else "scheduledTime must be a local ISO 8601 date-time"
    return _recurrence_problem(recurrence)


def _recurrence_problem(recurrence: object) -> str | None:
    if not isinstance(recurrence, dict):
        return "recurrence must be an object"
    rules = recurrence.get("recurrenceRules")
    if not isinstance(rules, list) or not rules:
        return "recurrence.recurrenceRules must be a non-empty list"
    for rule in rules:
        parts = rule.split(";") if isinstance(rule, str) else [""]
        if not parts[0].startswith("FREQ=") or not all(_RULE_PART.fullmatch(p) for p in parts):
            return f"recurrence rule not understood: {rule!r}"
    start = recurrence.get("startDateTime")
    if start is not None and not _local_time(start):
        return "recurrence.startDateTime must be a local ISO 8601 date-time"
    return None


def _alert_problem(body: Mapping[str, Any]) -> str | None:
    info = body.get("alertInfo")
    spoken = info.get("spokenInfo") if isinstance(info, dict) else None
    content = spoken.get("content") if isinstance(spoken, dict) else None
    if not isinstance(content, list) or not content:
        return "alertInfo.spokenInfo.content must be a non-empty list"
    for item in content:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item.get(k) for k in ("locale", "text")
        ):
            return "each spoken content needs a locale and a text"
    push = body.get("pushNotification")
    if push is not None and (
        not isinstance(push, dict) or push.get("status") not in _PUSH_STATUSES
    ):
        return "pushNotification.status must be ENABLED or DISABLED"
    return None
