"""The APL documents: valid by Amazon's own validator with every datasource the skill builds,
dark, image- and animation-free, and a step's countdown as long as its spoken hold."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from skill.apl.documents import AplDocuments, AplError
from skill.apl.screens import Screen, screen_for, step_view
from skill.apl.timeline import hold_of
from skill.data import data_dir
from skill.devtools.voice_catalog import all_replies
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.speech import Renderer, Reply
from tests.helpers.apl import apl_findings

# Nothing that lights a dark bedroom: no pictures, no video, no motion.
BRIGHT_COMPONENTS = {"Image", "VectorGraphic", "Video"}
ANIMATING_COMMANDS = {"AnimateItem", "AutoPage", "Scroll", "ScrollToIndex", "PlayMedia"}
MAX_TEXT_LUMINANCE = 0.2  # WCAG relative luminance; white is 1.0
MAX_BACKGROUND_LUMINANCE = 0.01


@pytest.fixture(scope="module")
def documents() -> AplDocuments:
    return AplDocuments(data_dir("responses"), DEFAULT_LOCALE)


def every_screen(renderer: Renderer, documents: AplDocuments, locale: str) -> Iterator[Screen]:
    """The screen of every reply the skill can give in `locale`, each step of each routine too."""
    content = renderer.store.content(locale)
    for _, reply in all_replies(renderer, locale):
        yield screen_for(documents, locale, content, reply, renderer.render(locale, reply))


@pytest.mark.parametrize("locale", available_locales())
def test_every_document_and_datasource_passes_apl_suggester(
    renderer: Renderer, documents: AplDocuments, locale: str
) -> None:
    cases: dict[str, tuple[Mapping[str, Any], Mapping[str, Any]]] = {}
    for screen in every_screen(renderer, documents, locale):
        key = json.dumps(screen.datasources, sort_keys=True)
        cases[f"{screen.name} {key}"] = (screen.document, screen.datasources)
    assert {name.split(" ", 1)[0] for name in cases} == set(documents.names(locale))
    findings = {name: found for name, found in apl_findings(cases).items() if found}
    assert findings == {}


def test_the_validator_reports_a_broken_document(documents: AplDocuments) -> None:
    """The check above can fail: a bad size and an unknown property are findings."""
    broken = json.loads(json.dumps(documents.document(DEFAULT_LOCALE, "relief")))
    text = broken["mainTemplate"]["item"]["item"]["items"][0]
    text["fontSize"], text["glow"] = "huge", True
    report = apl_findings({"broken": (broken, {"screen": {"headline": "x", "more": ""}})})
    messages = " ".join(finding["message"] for finding in report["broken"])
    assert "fontSize" in messages and "glow" in messages


def _walk(node: object) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("locale", available_locales())
def test_documents_are_dark_and_still(documents: AplDocuments, locale: str) -> None:
    for name in documents.names(locale):
        document = documents.document(locale, name)
        colours: dict[str, str] = {}
        for resource in document["resources"]:
            colours.update(resource.get("colors", {}))
        assert _luminance(colours["background"]) <= MAX_BACKGROUND_LUMINANCE
        for key, colour in colours.items():
            assert re.fullmatch(r"#[0-9A-Fa-f]{6}", colour), (name, key)
            assert _luminance(colour) <= MAX_TEXT_LUMINANCE, (name, key, colour)
        for node in _walk(document["mainTemplate"]):
            assert node.get("type") not in BRIGHT_COMPONENTS | ANIMATING_COMMANDS, (name, node)
            for key in ("color", "backgroundColor", "borderColor"):
                if key in node:  # colours only by name, so the checks above cover them
                    assert str(node[key]).startswith("@"), (name, key, node[key])
        root = document["mainTemplate"]["item"]
        assert root["backgroundColor"] == "@background", name


@pytest.mark.parametrize("locale", available_locales())
def test_sizes_follow_the_viewport(documents: AplDocuments, locale: str) -> None:
    """Round Echo Spot, Show 5 (short), Show 15 (wide) and TV each get their own sizes."""
    conditions = {r.get("when") for r in documents.document(locale, "step")["resources"]}
    assert {
        "${viewport.shape == 'round'}",
        "${viewport.height <= 600}",
        "${viewport.width >= 1600}",
        "${viewport.mode == 'tv'}",
    } <= conditions


@pytest.mark.parametrize("locale", available_locales())
def test_step_countdown_matches_the_spoken_hold(
    renderer: Renderer, documents: AplDocuments, locale: str
) -> None:
    content = renderer.store.content(locale)
    checked = 0
    for routine, stretch in content.routines.items():
        for index, step in enumerate(stretch.steps):
            reply = Reply("step", {"routine": routine, "step": index})
            speech = renderer.render(locale, reply)
            shown = screen_for(documents, locale, content, reply, speech).datasources["step"]
            assert shown["routine"] == step_view(content, routine, index).routine
            assert shown["hold"] == (step.hold or 0), (routine, index)
            assert (shown["number"], shown["total"]) == (index + 1, len(stretch.steps))
            if shown["hold"]:
                spoken = hold_of(speech.ssml, documents.screens(locale).words_per_minute)
                assert spoken is not None
                # From the first break of the hold to the end of the last, the words between
                # them included; nothing of the hold happens before the instruction is said.
                span = shown["holdEndsMs"] - shown["holdStartsMs"]
                assert span >= shown["hold"] * 1000
                assert shown["holdStartsMs"] > 0
                checked += 1
    assert checked > 0


def test_timeline_reads_words_and_breaks() -> None:
    ssml = (
        '<speak><prosody rate="50%">One two. <break time="500ms"/> Hold. '
        '<break time="10s"/> Ten more. <break time="10s"/> Release.</prosody></speak>'
    )
    hold = hold_of(ssml, words_per_minute=120)  # 1 s a word at half speed
    assert hold is not None
    assert hold.seconds == 20
    assert hold.starts_ms == 3 * 1000 + 500
    assert hold.ends_ms == hold.starts_ms + 10_000 + 2 * 1000 + 10_000
    assert hold_of("<speak>No hold here.</speak>", 150) is None


def test_locales_fall_back_to_the_default_documents(documents: AplDocuments) -> None:
    assert documents.names("en-GB") == documents.names("en-US")
    assert documents.screens("en-GB").document_for("tip") == "text"
    assert documents.screens("en-US").document_for("emergency") == "emergency"


def test_a_screens_table_naming_a_missing_document_fails_at_start(tmp_path: Path) -> None:
    shutil.copytree(data_dir("responses") / "en-US" / "apl", tmp_path / "en-US" / "apl")
    (tmp_path / "en-US" / "apl" / "emergency.json").unlink()
    with pytest.raises(AplError, match="emergency"):
        AplDocuments(tmp_path, "en-US")


def test_a_document_that_is_not_apl_fails_at_start(tmp_path: Path) -> None:
    shutil.copytree(data_dir("responses") / "en-US" / "apl", tmp_path / "en-US" / "apl")
    (tmp_path / "en-US" / "apl" / "text.json").write_text('{"type": "HTML"}', encoding="utf-8")
    with pytest.raises(AplError, match="not an APL document"):
        AplDocuments(tmp_path, "en-US")


def test_without_node_the_validator_fails_in_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("REQUIRE_APL_VALIDATOR", raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="node is not installed"):
        apl_findings({})
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="node is not installed"):
        apl_findings({})


def test_each_apl_file_is_read_once_though_several_locales_use_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[Path] = []
    read_text = Path.read_text

    def counted(path: Path, *args: Any, **kwargs: Any) -> str:
        if path.suffix == ".json":
            reads.append(path)
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    documents = AplDocuments(data_dir("responses"), DEFAULT_LOCALE)
    assert len(documents.locales) > 1 and reads
    assert len(reads) == len(set(reads))
