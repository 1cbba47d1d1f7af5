"""GET /privacy: the skill's privacy policy, the URL `cramp-relief export` puts in skill.json.

One page per locale from `responses/<locale>/pages/privacy.html.j2` (falling back like every other
template), rendered once when the app is built: `/privacy` is the default locale's, and
`/privacy/<locale>` each other locale's, so each store listing can link its own language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import jinja2
from flask import Blueprint, Flask, Response, abort, current_app

from skill.conversation.resume import RESUME_WINDOW
from skill.locales import fallback_chain

PAGE: Final = "pages/privacy.html.j2"
EXTENSION: Final = "cramp_relief_privacy"
blueprint = Blueprint("privacy", __name__)


@dataclass(frozen=True)
class PrivacyPages:
    """Each locale's rendered page, and which locale `/privacy` answers with."""

    pages: Mapping[str, str]
    default_locale: str


def render_pages(
    root: Path,
    default_locale: str,
    invocation_names: Mapping[str, str],
    disclaimers: Mapping[str, str],
) -> PrivacyPages:
    """Render the page of every locale in `invocation_names` (each locale the skill speaks)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
    )
    folders = [p.name for p in root.iterdir() if p.is_dir()]
    pages: dict[str, str] = {}
    for locale, name in invocation_names.items():
        chain = fallback_chain(locale, folders, default_locale)
        template = env.select_template([f"{folder}/{PAGE}" for folder in chain])
        pages[locale] = template.render(
            lang=locale,
            invocation_name=name,
            disclaimer=disclaimers[locale],
            resume_minutes=int(RESUME_WINDOW.total_seconds() // 60),
        )
    if default_locale not in pages:
        raise ValueError(f"no privacy page for the default locale {default_locale}")
    return PrivacyPages(pages=pages, default_locale=default_locale)


def register(app: Flask, pages: PrivacyPages) -> None:
    app.extensions[EXTENSION] = pages
    app.register_blueprint(blueprint)


def _page(locale: str) -> Response:
    pages: PrivacyPages = current_app.extensions[EXTENSION]
    html = pages.pages.get(locale)
    if html is None:
        abort(404)
    return Response(html, mimetype="text/html", headers={"Cache-Control": "public, max-age=3600"})


@blueprint.get("/privacy")
def privacy() -> Response:
    pages: PrivacyPages = current_app.extensions[EXTENSION]
    return _page(pages.default_locale)


@blueprint.get("/privacy/<locale>")
def privacy_for(locale: str) -> Response:
    return _page(locale)
