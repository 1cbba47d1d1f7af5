"""Resume across sessions: a routine's place is saved, and offered on launch within 15 minutes."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from skill import create_app
from skill.devtools.devca import DevCA
from skill.handlers.info import CauseHandler
from tests.helpers.alexa import AlexaClient, text_of
from tests.helpers.people import PLAIN_LAUNCH, FakeClock, Person, into_calf_step_three, offer


@pytest.fixture
def app_config(app_config: dict[str, Any], clock: FakeClock) -> dict[str, Any]:
    return {**app_config, "CLOCK": clock}


def test_stop_then_launch_offers_to_continue(person: Person) -> None:
    into_calf_step_three(person)
    assert text_of(person.say("AMAZON.StopIntent")) == "Stopped at step three. Rest easy."
    person.clock.advance(minutes=5)
    launch = person.launch()
    assert text_of(launch) == offer("calf stretches", "three")
    assert launch["response"]["shouldEndSession"] is False
    resumed = person.say("AMAZON.ResumeIntent")
    assert text_of(resumed).startswith("Picking up. Step three. Sit down, and circle your ankle")
    assert text_of(person.say("AMAZON.NextIntent")) == "That was the last stretch. Sleep well."


def test_yes_to_the_offer_continues(person: Person) -> None:
    person.say("GuidedStretchIntent", routine="bedtime")
    person.say("AMAZON.NextIntent")
    person.say("AMAZON.CancelIntent")
    assert text_of(person.launch()) == offer("bedtime stretches", "two")
    assert text_of(person.say("AMAZON.YesIntent")).startswith("Picking up. Step two.")


def test_pause_then_resume_in_a_new_session(person: Person) -> None:
    into_calf_step_three(person)
    paused = person.say("AMAZON.PauseIntent")
    assert text_of(paused) == "Paused at step three. Say continue when you're ready."
    assert paused["response"]["shouldEndSession"] is False
    person.silence()
    person.clock.advance(minutes=10)
    # "Alexa, ask cramp relief to continue": a one-shot, straight back into the routine.
    payload = person.say("AMAZON.ResumeIntent")
    assert text_of(payload).startswith("Picking up. Step three.")
    assert payload["sessionAttributes"]["routine"] == {
        "routine": "calf",
        "step": 2,
        "paused": False,
    }


def test_pause_then_continue_in_the_same_session(person: Person) -> None:
    person.say("GuidedStretchIntent", routine="toes")
    person.say("AMAZON.PauseIntent")
    assert person.say("AMAZON.PauseIntent")["sessionAttributes"]["routine"]["paused"] is True
    assert text_of(person.say("AMAZON.ResumeIntent")).startswith("Picking up. Step one.")


def test_silence_mid_routine_is_saved(person: Person) -> None:
    person.say("GuidedStretchIntent", routine="foot")
    person.say("AMAZON.NextIntent")
    assert person.silence()["response"] == {}
    assert text_of(person.launch()) == offer("foot stretches", "two")


def test_a_handler_failing_mid_routine_keeps_the_place(
    person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object, handler_input: object) -> None:
        raise RuntimeError("boom")

    into_calf_step_three(person)
    monkeypatch.setattr(CauseHandler, "handle", broken)
    failed = person.say("CauseIntent")
    assert text_of(failed).startswith("Sorry, something went wrong.")
    # The skill ended the session itself, so no SessionEndedRequest will come to save the place.
    assert failed["response"]["shouldEndSession"] is True
    monkeypatch.undo()
    person.clock.advance(minutes=1)
    assert text_of(person.launch()) == offer("calf stretches", "three")


@pytest.mark.parametrize(("minutes", "offered"), [(14, True), (15, True), (16, False)])
def test_offered_for_fifteen_minutes(person: Person, minutes: int, offered: bool) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.clock.advance(minutes=minutes)
    launch = text_of(person.launch())
    assert launch == (offer("calf stretches", "three") if offered else PLAIN_LAUNCH)


def test_continue_after_the_window_offers_a_new_stretch(person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.clock.advance(minutes=16)
    payload = person.say("AMAZON.ResumeIntent")
    assert text_of(payload) == (
        "You're not in a stretch right now. Want me to guide you through a stretch?"
    )


def test_declining_the_offer_does_not_extend_it(person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.clock.advance(minutes=10)
    assert text_of(person.launch()) == offer("calf stretches", "three")
    assert text_of(person.say("AMAZON.StopIntent")) == "Okay. Rest easy."
    person.clock.advance(minutes=6)
    assert text_of(person.launch()) == PLAIN_LAUNCH


def test_finishing_clears_the_saved_place(person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.launch()
    person.say("AMAZON.ResumeIntent")
    person.say("AMAZON.NextIntent")  # the last step done
    assert text_of(person.launch()) == PLAIN_LAUNCH


def test_relief_after_the_offer_is_still_relief(person: Person) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    person.launch()
    payload = person.say("CrampReliefIntent", muscle="calf")
    assert text_of(payload).startswith("Straighten your leg")
    assert text_of(person.say("AMAZON.YesIntent")).startswith("Relief stretches, six steps.")


def test_another_user_is_offered_nothing(
    person: Person, client: FlaskClient, dev_ca: DevCA, clock: FakeClock
) -> None:
    into_calf_step_three(person)
    person.say("AMAZON.StopIntent")
    stranger = Person(AlexaClient(client, dev_ca), clock)
    assert text_of(stranger.launch()) == PLAIN_LAUNCH


def test_two_workers_share_the_saved_place(
    app_config: dict[str, Any], dev_ca: DevCA, clock: FakeClock
) -> None:
    """Gunicorn runs several workers, each its own app: one saves, another offers."""
    first = Person(AlexaClient(create_app(app_config).test_client(), dev_ca), clock)
    into_calf_step_three(first)
    first.say("AMAZON.StopIntent")
    second = AlexaClient(create_app(app_config).test_client(), dev_ca)
    second.conversation.user_id = first.alexa.conversation.user_id
    assert text_of(Person(second, clock).launch()) == offer("calf stretches", "three")
