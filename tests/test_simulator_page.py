"""The simulator's page and POST /simulator/say: only under DEV_SIMULATOR, refusing bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from skill.app import create_app
from skill.devtools.devca import DevCA
from skill.locales import DEFAULT_LOCALE
from skill.simulator import web
from skill.simulator.web import MAX_BODY_BYTES, MAX_TEXT_CHARS

RELIEF = "Flex your foot"


@pytest.fixture
def dev_client(dev_app: Flask) -> FlaskClient:
    return dev_app.test_client()


def say(client: FlaskClient, text: str, state: object = None, locale: str = DEFAULT_LOCALE) -> Any:
    reply = client.post("/simulator/say", json={"text": text, "locale": locale, "state": state})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return reply.get_json()


def test_no_simulator_without_dev_mode(client: FlaskClient) -> None:
    assert client.get("/simulator/").status_code == 404
    assert (
        client.post("/simulator/say", json={"text": "hi", "locale": DEFAULT_LOCALE}).status_code
        == 404
    )
    assert client.get("/simulator/static/simulator.js").status_code == 404


def test_production_app_does_not_load_the_page_module(app: Flask) -> None:
    assert "simulator" not in app.blueprints


def test_page_is_served_with_a_strict_policy(dev_client: FlaskClient) -> None:
    page = dev_client.get("/simulator/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<label for="utterance">' in html
    assert 'id="utterance"' in html and "autofocus" in html
    assert f'maxlength="{MAX_TEXT_CHARS}"' in html
    for locale in ("en-US", "en-GB"):
        assert f'<option value="{locale}"' in html
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["Cache-Control"] == "no-store"
    script = dev_client.get("/simulator/static/simulator.js")
    assert script.status_code == 200
    assert "speechSynthesis" in script.get_data(as_text=True)
    script.close()
    style = dev_client.get("/simulator/static/simulator.css")
    assert style.status_code == 200
    style.close()


def test_a_conversation_round_trips_its_state(dev_client: FlaskClient) -> None:
    first = say(dev_client, "open cramp relief")
    turn = first["turn"]
    assert turn["requestType"] == "LaunchRequest"
    assert turn["heard"].startswith("LaunchRequest")
    assert RELIEF in turn["speech"]
    assert turn["sessionOpen"] is True
    assert turn["status"] == 200
    assert turn["request"]["request"]["type"] == "LaunchRequest"
    assert turn["response"]["response"]["shouldEndSession"] is False
    # The state is plain JSON the page can keep and send back.
    state = json.loads(json.dumps(first["state"]))

    second = say(dev_client, "yes", state)["turn"]
    assert second["intent"] == "AMAZON.YesIntent"
    assert second["request"]["session"]["new"] is False
    assert second["request"]["session"]["sessionId"] == turn["request"]["session"]["sessionId"]


def test_the_reminders_panel_shows_the_stand_ins_reminders(dev_client: FlaskClient) -> None:
    first = say(dev_client, "set a bedtime reminder at ten p.m.")
    assert first["reminders"] == []
    asked = say(dev_client, "yes", first["state"])
    assert "permission to update your reminders" in asked["turn"]["speech"]
    done = say(dev_client, "I approve", asked["state"])
    assert "Every night at ten p.m." in done["turn"]["speech"]
    [line] = done["reminders"]
    assert "FREQ=DAILY;BYHOUR=22;BYMINUTE=0" in line and "push notification DISABLED" in line
    cancelled = say(dev_client, "ask cramp relief to cancel my bedtime reminder", done["state"])
    assert cancelled["reminders"] == []


def test_the_page_cannot_point_the_skill_at_another_api(dev_client: FlaskClient) -> None:
    """The page's state may name any apiEndpoint: the skill sends its token only to the ones it
    was started with, so a reminder is then simply not set, and the stand-in lists nothing."""
    state = say(dev_client, "set a bedtime reminder at ten p.m.")["state"]
    state["device"]["apiEndpoint"] = "https://example.com"
    asked = say(dev_client, "yes", state)
    done = say(dev_client, "I approve", asked["state"])
    assert done["turn"]["speech"] == "I couldn't set it just now. Please try again later."
    assert done["reminders"] == []


def test_silence_reprompts_then_times_out(dev_client: FlaskClient) -> None:
    state = say(dev_client, "open cramp relief")["state"]
    quiet = say(dev_client, "", state)
    assert quiet["turn"]["request"] is None
    assert quiet["turn"]["speech"] == quiet["turn"]["reprompt"]
    ended = say(dev_client, "", quiet["state"])["turn"]
    assert ended["requestType"] == "SessionEndedRequest"
    assert ended["sessionOpen"] is False


def test_one_shot_in_british_english(dev_client: FlaskClient) -> None:
    turn = say(dev_client, "ask cramp relief why do I get cramp at night", locale="en-GB")["turn"]
    assert turn["intent"] == "CauseIntent"
    assert turn["request"]["request"]["locale"] == "en-GB"


def test_untrusted_signatures_are_still_refused(
    folder_ca: DevCA, dev_ca_dir: Path, tmp_path: Path
) -> None:
    # DEV_SIMULATOR alone does not make the app trust the CA: the page goes through the real
    # verification, so an app that does not trust it answers 400 and the page says so.
    app = web.register(
        create_app(
            {"DEV_SIMULATOR": True, "DEV_CA_DIR": str(dev_ca_dir), "CERT_LOADER": folder_ca.loader}
            | {"DATABASE": str(tmp_path / "db.sqlite3")}
        )
    )
    turn = say(app.test_client(), "open cramp relief")["turn"]
    assert turn["status"] == 400
    assert turn["error"]
    assert turn["sessionOpen"] is False


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"text": 7, "locale": DEFAULT_LOCALE}, "text must be"),
        ({"text": "x" * (MAX_TEXT_CHARS + 1), "locale": DEFAULT_LOCALE}, "text must be"),
        ({"text": "hi", "locale": "fr-FR"}, "locale must be"),
        ({"text": "hi"}, "locale must be"),
        ({"text": "hi", "locale": DEFAULT_LOCALE, "state": {"version": 99}}, "state:"),
        ({"text": "hi", "locale": DEFAULT_LOCALE, "state": "nonsense"}, "state:"),
        (["not", "an", "object"], "JSON object"),
    ],
)
def test_bad_input_is_refused(dev_client: FlaskClient, body: object, reason: str) -> None:
    reply = dev_client.post("/simulator/say", json=body)
    assert reply.status_code == 400
    assert reason in reply.get_json()["error"]


def test_state_of_another_locale_is_refused(dev_client: FlaskClient) -> None:
    state = say(dev_client, "open cramp relief")["state"]
    reply = dev_client.post(
        "/simulator/say", json={"text": "yes", "locale": "en-GB", "state": state}
    )
    assert reply.status_code == 400
    assert "another locale" in reply.get_json()["error"]


def test_only_json_is_accepted(dev_client: FlaskClient) -> None:
    # A form post from another site cannot reach it: browsers send those as form data.
    reply = dev_client.post("/simulator/say", data={"text": "open cramp relief"})
    assert reply.status_code == 400
    assert "JSON" in reply.get_json()["error"]


def test_oversized_body_is_refused_unread(dev_client: FlaskClient) -> None:
    body = json.dumps({"text": "hi", "locale": DEFAULT_LOCALE, "pad": "x" * MAX_BODY_BYTES})
    reply = dev_client.post(
        "/simulator/say", data=body, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 400
