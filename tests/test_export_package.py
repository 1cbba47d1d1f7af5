"""What `cramp-relief export` writes: the package's layout, models, manifest and store listings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skill.cli import main
from skill.data import data_dir
from skill.interaction_model import load_model
from skill.locales import available_locales
from skill.package.manifest_checks import CATEGORY, manifest_problems
from skill.simulator.resolver import resolve
from tests.helpers.export import ENDPOINT, read_json

LOCALES = available_locales()


@pytest.fixture
def exported(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["export", "--endpoint", ENDPOINT]) == 0
    capsys.readouterr()
    document: dict[str, Any] = read_json(project / "skill-package" / "skill.json")
    return document


def test_package_layout(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--endpoint", ENDPOINT, "--out", "skill-package"]) == 0
    out = capsys.readouterr().out
    package = project / "skill-package"
    assert (package / "skill.json").is_file()
    models = sorted(p.name for p in (package / "interactionModels" / "custom").iterdir())
    assert models == [f"{locale}.json" for locale in LOCALES]
    assert "ask deploy" in out


@pytest.mark.parametrize("locale", LOCALES)
def test_models_are_copied_unchanged(locale: str, exported: dict[str, Any], project: Path) -> None:
    copied = project / "skill-package" / "interactionModels" / "custom" / f"{locale}.json"
    original = data_dir("interaction_models") / f"{locale}.json"
    assert copied.read_bytes() == original.read_bytes()


def test_ask_resources_points_at_the_package(exported: dict[str, Any], project: Path) -> None:
    resources = read_json(project / "ask-resources.json")
    assert resources == {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}},
    }


def test_manifest_required_fields(exported: dict[str, Any]) -> None:
    manifest = exported["manifest"]
    assert manifest["manifestVersion"] == "1.0"
    publishing = manifest["publishingInformation"]
    assert publishing["category"] == CATEGORY == "HEALTH_AND_FITNESS"
    assert publishing["isAvailableWorldwide"] is False
    assert publishing["distributionCountries"]
    assert set(publishing["locales"]) == set(LOCALES)
    assert manifest["privacyAndCompliance"] == {
        "allowsPurchases": False,
        "usesPersonalInfo": False,
        "isChildDirected": False,
        "isExportCompliant": True,
        "containsAds": False,
        # Without --privacy-url, the page the skill serves itself (skill.privacy).
        "locales": {
            locale: {"privacyPolicyUrl": f"https://cramps.example.com/privacy/{locale}"}
            for locale in LOCALES
        },
    }
    assert manifest["apis"]["custom"]["endpoint"] == {
        "uri": ENDPOINT,
        "sslCertificateType": "Trusted",
    }


def test_manifest_declares_the_reminders_permission(exported: dict[str, Any]) -> None:
    assert exported["manifest"]["permissions"] == [
        {"name": "alexa::alerts:reminders:skill:readwrite"}
    ]


def test_manifest_passes_its_own_validation(exported: dict[str, Any]) -> None:
    names = {locale: load_model(locale).invocation_name for locale in LOCALES}
    assert manifest_problems(exported, names) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_listing_per_locale(locale: str, exported: dict[str, Any]) -> None:
    listing = exported["manifest"]["publishingInformation"]["locales"][locale]
    assert set(listing) == {
        "name",
        "summary",
        "description",
        "examplePhrases",
        "keywords",
        "smallIconUri",
        "largeIconUri",
    }
    assert listing["name"] == "Cramp Relief"
    assert 0 < len(listing["summary"]) <= 160
    assert listing["keywords"]
    invocation = load_model(locale).invocation_name
    assert listing["examplePhrases"][0] == f"Alexa, open {invocation}"
    assert all(invocation in phrase for phrase in listing["examplePhrases"])


@pytest.mark.parametrize("locale", LOCALES)
def test_example_phrases_resolve(locale: str, exported: dict[str, Any]) -> None:
    # Through the simulator's resolver, the way Alexa would hear them: the first opens the skill,
    # each other one is a one-shot request that reaches a real intent, not the fallback.
    phrases = exported["manifest"]["publishingInformation"]["locales"][locale]["examplePhrases"]
    launch, *one_shots = (resolve(phrase, locale) for phrase in phrases)
    assert launch.kind == "launch"
    assert one_shots, "show at least one thing to ask, not only how to open the skill"
    for phrase, resolution in zip(phrases[1:], one_shots, strict=True):
        assert resolution.kind == "intent", phrase
        assert resolution.new_session, phrase
        assert resolution.intent not in (None, "AMAZON.FallbackIntent"), phrase
        assert not resolution.intent.startswith("AMAZON."), phrase


@pytest.mark.parametrize("locale", LOCALES)
def test_description_carries_the_disclaimer(locale: str, exported: dict[str, Any]) -> None:
    description = exported["manifest"]["publishingInformation"]["locales"][locale]["description"]
    # docs/facts.md, "The disclaimer": general information, not medical advice, no substitute.
    assert "general information" in description
    assert "not medical advice" in description
    assert "no substitute for a doctor" in description
    # Last, as its own paragraph, so it is not lost in the middle of the listing.
    assert description.split("\n\n")[-1].startswith("This is general information")


def test_distribution_countries_follow_the_locales(exported: dict[str, Any]) -> None:
    countries = set(exported["manifest"]["publishingInformation"]["distributionCountries"])
    assert {locale.split("-")[1] for locale in LOCALES} == countries
