"""The browser simulator: /simulator exists only under DEV_SIMULATOR; POST /simulator/say runs a
turn statelessly; and a real headless Chromium holds a conversation on the page."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from skill.app import create_app
from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.devca import DevCA
from skill.devtools.trust import dev_server_config
from skill.envelopes import read_response
from skill.locales import DEFAULT_LOCALE
from skill.simulator import web
from skill.simulator.alexa_api import AlexaApiStandIn
from skill.simulator.alexa_api_link import AlexaApiLink
from skill.simulator.web import MAX_BODY_BYTES, MAX_TEXT_CHARS

CHROMIUM = Path("/usr/bin/chromium")
# CI sets this: there the browser test must run, and a missing Chromium is a failure, not a skip.
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER_TEST") == "1"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RELIEF = "Flex your foot"


@pytest.fixture(scope="session")
def dev_ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dev-ca")


@pytest.fixture(scope="session")
def folder_ca(dev_ca_dir: Path) -> DevCA:
    """The CA as `serve --dev` keeps it: in a folder, which the page's simulator reads too."""
    return load_or_create_dev_ca(dev_ca_dir)


@pytest.fixture
def dev_app(
    folder_ca: DevCA, dev_ca_dir: Path, tmp_path: Path, alexa_api: AlexaApiStandIn
) -> Flask:
    """The app exactly as `serve --dev` configures it, with its Alexa API stand-in."""
    config = dev_server_config(folder_ca, dev_ca_dir)
    config.update(AlexaApiLink(alexa_api.endpoint, str(alexa_api.ca_file)).app_config())
    app = create_app({**config, "TESTING": True, "DATABASE": str(tmp_path / "db.sqlite3")})
    return web.register(app)


@pytest.fixture
def dev_client(dev_app: Flask) -> FlaskClient:
    return dev_app.test_client()


def say(client: FlaskClient, text: str, state: object = None, locale: str = DEFAULT_LOCALE) -> Any:
    reply = client.post("/simulator/say", json={"text": text, "locale": locale, "state": state})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return reply.get_json()


# --- only in development ----------------------------------------------------------------------


def test_no_simulator_without_dev_mode(client: FlaskClient) -> None:
    assert client.get("/simulator/").status_code == 404
    assert (
        client.post("/simulator/say", json={"text": "hi", "locale": DEFAULT_LOCALE}).status_code
        == 404
    )
    assert client.get("/simulator/static/simulator.js").status_code == 404


def test_production_app_does_not_load_the_page_module(app: Flask) -> None:
    assert "simulator" not in app.blueprints


# --- the page and its endpoint ----------------------------------------------------------------


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


# --- in a real browser ------------------------------------------------------------------------


@pytest.fixture
def live_url(dev_app: Flask) -> Iterator[str]:
    """The dev app on a free loopback port, in a thread, for the length of one test."""
    server = make_server("127.0.0.1", 0, dev_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="simulator-test-server")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/simulator/"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def browser_ready() -> None:
    """Skips (or, under REQUIRE_BROWSER_TEST=1, fails) before any server is started."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (Debian: apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(f"REQUIRE_BROWSER_TEST=1 but {reason}")
        pytest.skip(f"browser test: {reason}")


# Stands in for the speech engine (headless Chromium has no voices): records what the page asks
# it to say, so the test sees the Speak button hand over the reply.
_RECORD_SPEECH = """
window.__spoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (utterance) => { window.__spoken.push(utterance.text); };
}
"""


def test_conversation_in_headless_chromium(browser_ready: None, live_url: str) -> None:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            context.set_default_timeout(15_000)
            context.add_init_script(_RECORD_SPEECH)
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(live_url)

            # Ready to type at once: the text box has the focus and a label.
            box = page.get_by_label("What you say")
            expect(box).to_be_focused()

            box.fill("open cramp relief")
            page.get_by_role("button", name="Send").click()
            turns = page.locator("#conversation > li")
            expect(turns).to_have_count(1)
            first = turns.nth(0)
            expect(first.locator(".speech")).to_contain_text(RELIEF)
            expect(first).to_contain_text("Session open")

            # Enter sends, and the box is cleared and focused for the next thing said.
            expect(box).to_have_value("")
            expect(box).to_be_focused()
            box.fill("yes")
            box.press("Enter")
            expect(turns).to_have_count(2)
            second = turns.nth(1)
            expect(second.locator(".heard")).to_contain_text("AMAZON.YesIntent")
            expect(second.locator(".speech")).not_to_be_empty()

            # Request and response JSON, folded beside each turn; unfolded, real JSON.
            for turn in (first, second):
                expect(turn.locator("details")).to_have_count(2)
                expect(turn.locator("details[open]")).to_have_count(0)
            first.locator("summary").first.click()
            request = json.loads(first.locator("details").first.locator("pre").text_content() or "")
            assert request["request"]["type"] == "LaunchRequest"
            response = json.loads(
                first.locator("details").nth(1).locator("pre").text_content() or ""
            )
            assert RELIEF in (read_response(response).ssml or "")

            # The Speak button hands the reply to the browser's speech synthesis.
            first.get_by_role("button", name="Speak reply").click()
            spoken = page.evaluate("window.__spoken")
            assert len(spoken) == 1 and RELIEF in spoken[0]
            assert "<" not in spoken[0]  # words, not SSML

            # A new conversation starts afresh: the next "yes" is a one-shot in a new session.
            page.get_by_role("button", name="New conversation").click()
            expect(turns).to_have_count(0)
            box.fill("yes")
            box.press("Enter")
            expect(turns).to_have_count(1)
            fresh = json.loads(
                turns.nth(0).locator("details").first.locator("pre").text_content() or ""
            )
            assert fresh["session"]["new"] is True

            # The reminders panel follows the Alexa API stand-in.
            panel = page.locator("#reminders > li")
            expect(panel).to_have_text(["No reminders."])
            for count, said in enumerate(
                ("set a bedtime reminder at ten p.m.", "yes", "I approve")
            ):
                box.fill(said)
                box.press("Enter")
                expect(turns).to_have_count(count + 2)  # one turn at a time, as a person talks
            expect(panel.first).to_contain_text("FREQ=DAILY;BYHOUR=22")

            # An Echo Show 8: a new conversation on that device, and beside each turn its APL
            # document and datasources, folded like the JSON (not drawn: no APL renderer here).
            page.get_by_label("Device").select_option(label="Echo Show 8")
            expect(turns).to_have_count(0)
            box.fill("open cramp relief")
            box.press("Enter")
            expect(turns).to_have_count(1)
            shown = turns.nth(0)
            expect(shown.locator("details")).to_have_count(4)
            expect(shown.locator("details[open]")).to_have_count(0)
            expect(shown.locator("summary").nth(2)).to_contain_text("APL document")
            panels = shown.locator("details pre")
            sent = json.loads(panels.nth(0).text_content() or "")
            assert (
                "Alexa.Presentation.APL"
                in sent["context"]["System"]["device"]["supportedInterfaces"]
            )
            assert json.loads(panels.nth(2).text_content() or "")["type"] == "APL"
            datasources = json.loads(panels.nth(3).text_content() or "")
            assert RELIEF in datasources["screen"]["headline"]

            # A step screen has its buttons; pressing Next is a UserEvent, answered as "next".
            box.fill("yes")
            box.press("Enter")
            expect(turns).to_have_count(2)
            turns.nth(1).get_by_role("button", name="Next").click()
            expect(turns).to_have_count(3)
            touched = turns.nth(2)
            expect(touched.locator(".heard")).to_contain_text(
                "Alexa.Presentation.APL.UserEvent next"
            )
            expect(touched.locator(".speech")).to_contain_text("Step two")
            page.get_by_role("button", name="New conversation").click()
            expect(turns).to_have_count(0)
            box.fill("open cramp relief")
            box.press("Enter")
            expect(turns).to_have_count(1)

            # Long words and long SSML wrap instead of widening the page.
            box.fill("a" * 400)
            box.press("Enter")
            expect(turns).to_have_count(2)
            turns.nth(1).locator("summary").nth(1).click()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1280, width
        finally:
            context.close()
    assert problems == []
