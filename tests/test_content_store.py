"""The content store: checked once at start, typed, read-only, with per-key locale fallback."""

from __future__ import annotations

import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from skill.content import ContentError, ContentStore, Lead
from skill.content.schema import Leads
from skill.conversation.state import Offer
from skill.data import data_dir
from skill.handlers.builtin import YES_TO
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.speech import Renderer, Reply


@pytest.fixture
def responses(tmp_path: Path) -> Path:
    """A copy of the shipped responses/ folder, to break on purpose."""
    root = tmp_path / "responses"
    shutil.copytree(data_dir("responses"), root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_content_builds_for_every_locale() -> None:
    store = ContentStore(data_dir("responses"), DEFAULT_LOCALE, available_locales())
    assert set(available_locales()) <= set(store.locales)


@pytest.mark.parametrize(
    ("file", "old", "new", "error"),
    [
        ("content.toml", 'rate = "90%"\n', "", r"voice: missing key 'rate'"),
        ("content.toml", 'rate = "90%"', "rate = 90", r"voice\.rate: expected text"),
        ("content.toml", 'rate = "90%"', 'rate = "90%"\nrat = "1"', r"voice: unknown key 'rat'"),
        ("routines.toml", "hold = 30 }", 'hold = "30" }', r"steps\[0\]\.hold: expected a whole"),
        ("routines.toml", "hold = 30 }", "hold = true }", r"steps\[0\]\.hold: expected a whole"),
        ("routines.toml", 'default_routine = "cramp_relief"', 'default_routine = "x"', "is no"),
        ("content.toml", 'order = ["water",', 'order = ["waterr",', "'waterr', which has no"),
    ],
)
def test_broken_content_fails_when_the_store_is_made(
    responses: Path, file: str, old: str, new: str, error: str
) -> None:
    edit(responses / "en-US" / file, old, new)
    with pytest.raises(ContentError, match=error):
        ContentStore(responses, DEFAULT_LOCALE)


def test_a_locale_override_of_the_wrong_type_fails_at_start(responses: Path) -> None:
    edit(responses / "en-GB" / "content.toml", "[phrases]", "[phrases]\noffer_tip_short = 3")
    with pytest.raises(ContentError, match=r"en-GB.*phrases\.offer_tip_short"):
        ContentStore(responses, DEFAULT_LOCALE)


def test_content_falls_back_key_by_key(responses: Path) -> None:
    store = ContentStore(responses, DEFAULT_LOCALE)
    gb, us = store.content("en-GB"), store.content("en-US")
    assert gb.phrases.offer_stretch != us.phrases.offer_stretch  # said differently in en-GB
    assert gb.phrases.offer_stretch_short == us.phrases.offer_stretch_short  # taken from en-US
    assert gb.tips.text["water"] == us.tips.text["water"]
    assert gb.tips.text["calcium"] != us.tips.text["calcium"]
    assert gb.routines == us.routines
    # A locale with no folder of its own gets the content of its first fallback folder.
    assert store.content("fr-FR") is us


def test_content_is_read_only() -> None:
    content = ContentStore(data_dir("responses"), DEFAULT_LOCALE).content("en-US")
    with pytest.raises(TypeError):
        content.relief["general"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        content.voice.rate = "100%"  # type: ignore[misc]


def test_the_store_listing_is_content_merged_by_key(responses: Path) -> None:
    """store.toml (the Alexa listing) is read by the store like the rest: typed, and a locale's
    keys over its fallbacks' one by one, so en-GB may leave out what it says the same."""
    gb = responses / "en-GB" / "store.toml"
    text = gb.read_text("utf-8")
    start = text.index("\nkeywords = [")
    gb.write_text(text[:start] + text[text.index("]", start) + 1 :], "utf-8")
    store = ContentStore(responses, DEFAULT_LOCALE)
    us, uk = store.content("en-US").listing, store.content("en-GB").listing
    assert uk.keywords == us.keywords
    assert (uk.countries, us.countries) == (("GB",), ("US",))


def test_a_mistyped_or_missing_listing_is_refused_at_start(responses: Path) -> None:
    edit(responses / "en-US" / "store.toml", 'countries = ["US"]', 'countries = "US"')
    with pytest.raises(ContentError, match=r"listing\.countries: expected a list"):
        ContentStore(responses, DEFAULT_LOCALE)
    for locale in ("en-US", "en-GB"):
        (responses / locale / "store.toml").unlink()
    with pytest.raises(ContentError, match="missing key 'listing'"):
        ContentStore(responses, DEFAULT_LOCALE)


def test_a_shared_template_falls_back_by_locale(responses: Path) -> None:
    """step.ssml.j2 finds _hold through the locale chain: an en-GB _hold is used for en-GB."""
    hold = (responses / "en-US" / "_hold.ssml.j2").read_text(encoding="utf-8")
    (responses / "en-GB" / "_hold.ssml.j2").write_text(
        hold.replace("more seconds.", "more seconds, nearly there."), encoding="utf-8"
    )
    renderer = Renderer(ContentStore(responses, DEFAULT_LOCALE))
    reply = Reply("step", {"routine": "cramp_relief", "step": 0})
    assert "nearly there" in renderer.render("en-GB", reply).text
    assert "nearly there" not in renderer.render(DEFAULT_LOCALE, reply).text


def test_yes_has_an_action_for_every_offer() -> None:
    assert set(YES_TO) == set(Offer)


def test_the_content_words_every_lead_the_routines_say() -> None:
    """Lead is the one list of leads; the content has words for each but START (which names the
    routine and its length from the routine itself)."""
    assert {field.name for field in fields(Leads)} == set(Lead) - {Lead.START}


def test_a_lead_without_its_words_stops_the_start(responses: Path) -> None:
    edit(responses / "en-US" / "routines.toml", 'resume = "Picking up."\n', "")
    with pytest.raises(ContentError, match=r"routine_words\.lead: missing key 'resume'"):
        ContentStore(responses, DEFAULT_LOCALE)
