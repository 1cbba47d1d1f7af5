"""A property: no reminder is ever created without a "yes" in the same session.

Hypothesis plays random conversations against the skill and the Alexa API stand-in: launches,
reminder requests with and without times, yes and no, changes, cancels, session ends, the
permission given or withdrawn in the Alexa app, and Connections.Responses of every kind, including
ones Alexa never had reason to send (forged tokens, ACCEPTED out of the blue). After every turn,
any reminder new to the stand-in must have come in a session that heard a yes.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from skill.alexa_api import REMINDERS_SCOPE
from skill.envelopes import slot
from tests.helpers.alexa import AlexaClient

TIMES = st.sampled_from([None, "22:00", "21:30", "10:00", "NI", "banana"])
# Mostly well-formed: a forged Connections.Response is only a test if it looks like ours.
TOKENS = st.sampled_from(["reminder@22:00", "reminder@22:00", "echo", "echo", "", "reminder@xx"])
STEPS = st.one_of(
    st.just(("launch",)),
    st.just(("yes",)),
    st.just(("no",)),
    st.just(("cancel",)),
    st.just(("status",)),
    st.just(("end",)),
    st.tuples(st.just("set"), TIMES),
    st.tuples(st.just("change"), TIMES),
    st.tuples(st.just("grant"), st.booleans()),
    st.tuples(
        st.just("permission"),
        st.sampled_from(["ACCEPTED", "ACCEPTED", "DENIED", "NOT_ANSWERED", "MAYBE"]),
        st.sampled_from(["200", "200", "400"]),
        TOKENS,
    ),
)


def _envelope(alexa: AlexaClient, step: tuple[Any, ...], last_token: str) -> dict[str, Any]:
    conversation = alexa.conversation
    kind = step[0]
    if kind == "launch":
        return conversation.launch()
    if kind == "end":
        return conversation.session_ended()
    if kind == "permission":
        _, status, code, token = step
        if status == "ACCEPTED" and code == "200":
            alexa.grant_reminders()  # as Alexa records a real approval
        payload = {"permissionScope": REMINDERS_SCOPE, "status": status}
        token = last_token if token == "echo" else token
        return conversation.connections_response("AskFor", payload, token=token, code=code)
    intents = {
        "yes": "AMAZON.YesIntent",
        "no": "AMAZON.NoIntent",
        "cancel": "CancelReminderIntent",
        "status": "ReminderStatusIntent",
        "set": "SetReminderIntent",
        "change": "ChangeReminderIntent",
    }
    slots = {"time": slot("time", step[1])} if len(step) > 1 and step[1] is not None else None
    return conversation.intent(intents[kind], slots)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.booleans(), st.lists(STEPS, min_size=1, max_size=12))
# A yes that asked for the permission in one session; the approval arriving in the next.
@example(False, [("set", "22:00"), ("yes",), ("end",), ("permission", "ACCEPTED", "200", "echo")])
# An approval nobody asked for, in the form a real one takes.
@example(False, [("set", "22:00"), ("permission", "ACCEPTED", "200", "reminder@22:00")])
@pytest.mark.filterwarnings("ignore")
def test_no_reminder_without_a_yes_in_the_same_session(
    make_alexa: Any, granted_before: bool, steps: list[tuple[Any, ...]]
) -> None:
    alexa: AlexaClient = make_alexa("en-US")
    if granted_before:
        alexa.grant_reminders()
    known: set[str] = set()
    session, heard_yes, last_token = None, False, ""
    for step in steps:
        if step[0] == "grant":
            alexa.grant_reminders(step[1])
            continue
        envelope = _envelope(alexa, step, last_token)
        if envelope["session"]["sessionId"] != session:
            session, heard_yes = envelope["session"]["sessionId"], False
        heard_yes = heard_yes or step[0] == "yes"
        payload = alexa.send(envelope)
        for directive in payload["response"].get("directives") or []:
            last_token = directive.get("token", last_token)
        created = {r["alertToken"] for r in alexa.reminders()} - known
        assert not created or heard_yes, f"a reminder with no yes in its session: {steps}"
        known |= created
    # The skill only ever keeps one reminder for a user.
    assert len(alexa.reminders()) <= 1
