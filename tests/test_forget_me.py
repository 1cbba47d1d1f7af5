""" "Alexa, ask cramp relief to forget me", on every storage backend (SQLite, PostgreSQL, DynamoDB
via moto): everything kept for the user is deleted, the skill says so, and it says so honestly
when the database cannot be reached."""

from __future__ import annotations

from typing import Any

import pytest
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system.system_state import SystemState
from ask_sdk_model.launch_request import LaunchRequest
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.user import User
from flask.testing import FlaskClient

from skill.simulator.resolver import resolve
from skill.speech import ssml_to_text
from tests.helpers.alexa import AlexaClient, speech_of
from tests.helpers.backends import Backend


@pytest.fixture
def app_config(app_config: dict[str, Any], backend: Backend) -> dict[str, Any]:
    return {**app_config, "DATABASE": backend.url}


def _kept(backend: Backend, user_id: str) -> dict[str, object]:
    store = backend.open()
    user = User(user_id=user_id)
    envelope = RequestEnvelope(
        context=Context(system=SystemState(user=user)), request=LaunchRequest(request_id="r")
    )
    return store.get_attributes(envelope)


def _leave_a_routine_part_way(alexa: AlexaClient) -> None:
    alexa.launch()
    alexa.intent("AMAZON.YesIntent")
    alexa.intent("AMAZON.NextIntent")
    alexa.intent("AMAZON.StopIntent")  # the place is kept, under the hashed id


def test_forget_me_deletes_everything_kept_and_says_so(
    alexa: AlexaClient, backend: Backend
) -> None:
    user = alexa.conversation.user_id
    _leave_a_routine_part_way(alexa)
    assert "resume" in _kept(backend, user)
    assert "continue" in speech_of(alexa.launch())  # the place is there to pick up
    alexa.intent("AMAZON.StopIntent")
    payload = alexa.intent("ForgetMeIntent")
    assert "deleted everything I kept for you" in ssml_to_text(speech_of(payload))
    assert payload["response"]["shouldEndSession"] is True
    assert _kept(backend, user) == {}  # the row, hashed id included, is gone
    assert "continue" not in speech_of(alexa.launch())  # nothing left to offer


def test_forget_me_with_nothing_kept_is_still_true(alexa: AlexaClient) -> None:
    assert "deleted everything" in ssml_to_text(speech_of(alexa.intent("ForgetMeIntent")))


def test_an_unreachable_database_is_admitted_not_hidden(
    alexa: AlexaClient, backend: Backend
) -> None:
    user = alexa.conversation.user_id
    _leave_a_routine_part_way(alexa)
    with backend.away():
        payload = alexa.intent("ForgetMeIntent")
    said = ssml_to_text(speech_of(payload))
    assert "couldn't delete it just now" in said
    assert "deleted everything" not in said
    assert "resume" in _kept(backend, user)  # nothing was claimed that did not happen


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_the_phrase_reaches_forget_me(locale: str) -> None:
    for said in ("ask cramp relief to forget me", "tell cramp relief to delete my data"):
        assert resolve(said, locale).intent == "ForgetMeIntent", said


def test_the_privacy_page_names_the_phrase(client: FlaskClient) -> None:
    page = client.get("/privacy").get_data(as_text=True)
    assert "Alexa, ask cramp relief to forget me" in page
