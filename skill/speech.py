"""Spoken replies: Jinja2 SSML templates per locale, filled from the content store, as SSML."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from typing import Any

import jinja2
from markupsafe import Markup

from skill.content import ContentStore

ParamValue = str | int
_TEMPLATE_SUFFIX = ".ssml.j2"
# Distinct replies kept rendered per Renderer; far more than the content can produce, and a bound,
# since a kept reply's params come back from the client in the session attributes.
RENDERED_CACHE_SIZE = 1024
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w")
_TAG = re.compile(r"<[^>]*>")


class RenderError(Exception):
    """A reply could not be rendered (unknown template, missing or unknown parameter)."""


@dataclass(frozen=True)
class Reply:
    """What to say: a template name and the plain values it needs (kept, so it can be repeated)."""

    template: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"template": self.template, "params": dict(self.params)}


@dataclass(frozen=True)
class Speech:
    """Rendered output speech; reprompt is None when the template has none."""

    ssml: str
    reprompt: str | None

    @property
    def text(self) -> str:
        return ssml_to_text(self.ssml)

    @property
    def reprompt_text(self) -> str | None:
        return None if self.reprompt is None else ssml_to_text(self.reprompt)


def ssml_to_text(ssml: str) -> str:
    """The words a listener hears: tags dropped, entities decoded, spaces folded."""
    return _SPACES.sub(" ", unescape(_TAG.sub(" ", ssml))).strip()


def word_count(text: str) -> int:
    """Words as VOICE.md's budgets count them: pieces between spaces with a letter or digit in
    them (a dash or an ellipsis on its own is no word)."""
    return sum(1 for piece in text.split() if _WORD.search(piece))


class Renderer:
    """One cached Jinja2 environment over the content store's folder, with per-locale fallback.

    A template missing in `en-GB` is taken from `en`, then from the default locale, so a locale
    folder only holds what it says differently; content falls back the same way, key by key, in
    the store. Templates see the typed content as `content`, and `partial("_name")` resolves a
    shared template (such as `_hold`) through the same fallback.
    """

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(store.root)),
            undefined=jinja2.StrictUndefined,
            # HTML escaping of &, <, >, " and ' is also valid XML escaping, which SSML needs.
            autoescape=True,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
            cache_size=-1,
        )
        self._rendered = lru_cache(maxsize=RENDERED_CACHE_SIZE)(self._render_key)

    def template_names(self, locale: str) -> frozenset[str]:
        """Every reply template reachable from this locale (its own and its fallbacks')."""
        names: set[str] = set()
        for folder in self.store.chain(locale):
            names.update(
                p.name.removesuffix(_TEMPLATE_SUFFIX)
                for p in (self.store.root / folder).glob(f"*{_TEMPLATE_SUFFIX}")
                if not p.name.startswith("_")
            )
        return frozenset(names)

    def _template(self, locale: str, name: str) -> jinja2.Template:
        candidates = [f"{folder}/{name}{_TEMPLATE_SUFFIX}" for folder in self.store.chain(locale)]
        try:
            return self._env.select_template(candidates)
        except jinja2.TemplatesNotFound as err:
            raise RenderError(f"no template {name!r} for {locale}") from err

    def render(self, locale: str, reply: Reply) -> Speech:
        """The reply's SSML, rendered once per distinct reply and then reused.

        Templates (auto_reload off) and content are fixed for the life of the Renderer, so the
        same reply always renders the same; rendering it afresh was one of the largest costs of a
        request. A failure is not kept: it is raised again on the next call.
        """
        try:
            key = (locale, reply.template, tuple(sorted(reply.params.items())))
            hash(key)
        except TypeError:  # a value that cannot be a key: render it, uncached
            return self._render(locale, reply)
        return self._rendered(key)

    def _render_key(self, key: tuple[str, str, tuple[tuple[str, ParamValue], ...]]) -> Speech:
        locale, template, params = key
        return self._render(locale, Reply(template, dict(params)))

    def _render(self, locale: str, reply: Reply) -> Speech:
        template = self._template(locale, reply.template)
        content = self.store.content(locale)

        def partial(name: str) -> jinja2.Template:
            return self._template(locale, name)

        context = template.new_context({"content": content, "partial": partial, **reply.params})
        try:
            speech = self._block(template, "speech", context)
            reprompt = (
                self._block(template, "reprompt", context)
                if "reprompt" in template.blocks
                else None
            )
            wrapper = self._template(locale, "_speak")
            voice = content.voice
            return Speech(
                ssml=wrapper.render(body=speech, voice=voice),
                reprompt=None if reprompt is None else wrapper.render(body=reprompt, voice=voice),
            )
        except (jinja2.TemplateError, KeyError, TypeError, IndexError) as err:
            raise RenderError(f"cannot render {reply.template!r}: {err}") from err

    @staticmethod
    def _block(template: jinja2.Template, name: str, context: jinja2.runtime.Context) -> Markup:
        if name not in template.blocks:
            raise RenderError(f"template {template.name!r} has no {name!r} block")
        rendered = "".join(template.blocks[name](context))
        return Markup(_SPACES.sub(" ", rendered).strip())
