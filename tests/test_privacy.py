"""The privacy page: what is kept, for how long, and how to delete it, true to the code."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from skill import privacy
from skill.content import ContentStore
from skill.conversation.resume import RESUME_WINDOW
from skill.data import data_dir
from skill.interaction_model import load_model
from skill.locales import DEFAULT_LOCALE, available_locales


def _pages() -> privacy.PrivacyPages:
    store = ContentStore(data_dir("responses"), DEFAULT_LOCALE)
    locales = available_locales()
    return privacy.render_pages(
        data_dir("responses"),
        DEFAULT_LOCALE,
        {locale: load_model(locale).invocation_name for locale in locales},
        {locale: store.content(locale).disclaimer.text for locale in locales},
    )


def _client() -> Flask:
    app = Flask(__name__)
    privacy.register(app, _pages())
    return app


def test_the_page_says_what_is_kept_for_how_long_and_how_to_delete_it() -> None:
    reply = _client().test_client().get("/privacy")
    assert reply.status_code == 200
    assert reply.mimetype == "text/html"
    page = reply.get_data(as_text=True)
    assert "salted SHA-256 hash" in page
    assert "your place in it" in page
    assert f"{int(RESUME_WINDOW.total_seconds() // 60)} minutes" in page
    name = load_model(DEFAULT_LOCALE).invocation_name
    assert f"Alexa, ask {name} to forget me" in page
    assert "not medical advice" in page


def test_each_locale_has_its_page_and_others_are_not_found() -> None:
    client = _client().test_client()
    for locale in available_locales():
        page = client.get(f"/privacy/{locale}")
        assert page.status_code == 200
        assert f'<html lang="{locale}">' in page.get_data(as_text=True)
    assert client.get("/privacy/xx-XX").status_code == 404
    assert client.get("/privacy/..%2Fetc").status_code == 404


def test_the_app_serves_it(client: FlaskClient) -> None:
    """What `cramp-relief export` links by default: https://<endpoint host>/privacy/<locale>."""
    for path in ("/privacy", "/privacy/en-US", "/privacy/en-GB"):
        reply = client.get(path)
        assert reply.status_code == 200, path
        assert "forget me" in reply.get_data(as_text=True)
