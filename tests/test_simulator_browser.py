"""The browser simulator in a real headless Chromium: a whole conversation on the page."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from skill.envelopes import read_response

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
