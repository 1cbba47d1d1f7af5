"""`cramp-relief export`: the ASK CLI skill package is complete and well-formed for every locale,
carries the disclaimer, and refuses what Alexa would refuse (an endpoint that is not HTTPS)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from skill.cli import main
from skill.content import ContentStore
from skill.content.schema import Listing
from skill.data import data_dir
from skill.interaction_model import Finding, load_model
from skill.locales import available_locales
from skill.package.build import build_manifest, store_listing
from skill.package.manifest_checks import CATEGORY, PackageError, check_endpoint, manifest_problems
from skill.simulator.resolver import resolve

LOCALES = available_locales()
ENDPOINT = "https://cramps.example.com/alexa"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the working directory so the default --out lands in it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def exported(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["export", "--endpoint", ENDPOINT]) == 0
    capsys.readouterr()
    document: dict[str, Any] = read_json(project / "skill-package" / "skill.json")
    return document


# --- the package ------------------------------------------------------------------------------


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


@pytest.mark.parametrize("certificate", ["Trusted", "Wildcard", "SelfSigned"])
def test_certificate_type(
    certificate: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--endpoint", ENDPOINT, "--certificate", certificate]) == 0
    endpoint = read_json(project / "skill-package" / "skill.json")["manifest"]["apis"]["custom"]
    assert endpoint["endpoint"]["sslCertificateType"] == certificate
    # Only Trusted passes certification; the others are allowed, with a word about it.
    assert ("only Trusted" in capsys.readouterr().err) == (certificate != "Trusted")


def test_unknown_certificate_type_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", "--endpoint", ENDPOINT, "--certificate", "Homemade"])
    assert exited.value.code == 2
    assert "Homemade" in capsys.readouterr().err


def test_privacy_and_terms_urls(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    privacy, terms = "https://cramps.example.com/privacy", "https://cramps.example.com/terms"
    args = ["export", "--endpoint", ENDPOINT, "--privacy-url", privacy, "--terms-url", terms]
    assert main(args) == 0
    compliance = read_json(project / "skill-package" / "skill.json")["manifest"][
        "privacyAndCompliance"
    ]
    assert compliance["locales"] == {
        locale: {"privacyPolicyUrl": privacy, "termsOfUseUrl": terms} for locale in LOCALES
    }


def test_plain_http_privacy_url_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["export", "--endpoint", ENDPOINT, "--privacy-url", "http://example.com/privacy"]
    assert main(args) == 2
    assert "privacy policy URL" in capsys.readouterr().err
    assert not (project / "skill-package").exists()


def test_one_locale_and_stale_models_removed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--endpoint", ENDPOINT]) == 0
    only = LOCALES[-1]
    assert main(["export", "--endpoint", ENDPOINT, "--locale", only]) == 0
    package = project / "skill-package"
    assert [p.name for p in (package / "interactionModels" / "custom").iterdir()] == [
        f"{only}.json"
    ]
    assert list(
        read_json(package / "skill.json")["manifest"]["publishingInformation"]["locales"]
    ) == [only]


def test_unknown_locale_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--endpoint", ENDPOINT, "--locale", "fr-FR"]) == 2
    assert "no interaction model for fr-FR" in capsys.readouterr().err


def test_existing_ask_resources_is_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = {
        "askcliResourcesVersion": "2020-03-31",
        "profiles": {
            "default": {
                "skillId": "amzn1.ask.skill.mine",
                "skillMetadata": {"src": "./skill-package"},
            }
        },
    }
    (project / "ask-resources.json").write_text(json.dumps(mine), encoding="utf-8")
    assert main(["export", "--endpoint", ENDPOINT]) == 0
    assert read_json(project / "ask-resources.json") == mine
    assert "left" not in capsys.readouterr().err


def test_ask_resources_pointing_elsewhere_is_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = {"askcliResourcesVersion": "2020-03-31", "profiles": {"default": {}}}
    (project / "ask-resources.json").write_text(json.dumps(other), encoding="utf-8")
    assert main(["export", "--endpoint", ENDPOINT, "--out", "pkg"]) == 0
    assert read_json(project / "ask-resources.json") == other
    captured = capsys.readouterr()
    assert "ask deploy will not upload this package" in captured.err
    # After that warning, no "deploy it" line that would upload nothing.
    assert "deploy" not in captured.out.lower()


def test_nested_out_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--endpoint", ENDPOINT, "--out", "deploy/skill-package"]) == 0
    resources = read_json(project / "deploy" / "ask-resources.json")
    assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"


def test_model_errors_stop_the_export(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = [Finding("error", "missing-builtin", "required built-in intent X is missing")]
    monkeypatch.setattr("skill.commands.export.check_reading", lambda reading: broken)
    assert main(["export", "--endpoint", ENDPOINT]) == 1
    err = capsys.readouterr().err
    assert "missing-builtin" in err and "check-model" in err
    assert not (project / "skill-package").exists()


# --- the endpoint -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "reason"),
    [
        ("http://cramps.example.com/alexa", "must use https"),
        ("cramps.example.com/alexa", "must use https"),
        ("ftp://cramps.example.com/alexa", "must use https"),
        ("https:///alexa", "no host"),
        ("https://cramps.example.com:8443/alexa", "port 443"),
        ("https://cramps.example.com:99999/alexa", "not a valid URL"),
        ("https://user:secret@cramps.example.com/alexa", "credentials"),
    ],
)
def test_endpoint_refused(
    endpoint: str, reason: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--endpoint", endpoint]) != 0
    err = capsys.readouterr().err
    assert reason in err
    assert not (project / "skill-package").exists()
    assert not (project / "ask-resources.json").exists()


@pytest.mark.parametrize(
    "endpoint",
    ["https://cramps.example.com/alexa", "https://cramps.example.com:443/alexa", "https://a.b/"],
)
def test_endpoint_accepted(endpoint: str) -> None:
    assert check_endpoint(endpoint) == endpoint


# --- store listings and the manifest checks ---------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_has_a_store_listing(locale: str, content_store: ContentStore) -> None:
    listing = store_listing(content_store, locale)
    assert len(listing.description) <= 4000
    assert 1 <= len(listing.example_phrases) <= 3


@pytest.mark.parametrize("locale", LOCALES)
def test_the_listing_is_the_content_stores(locale: str, content_store: ContentStore) -> None:
    """skill.json carries the store.toml listing as the content store read it, and the
    disclaimer Help speaks as the description's last paragraph."""
    content = content_store.content(locale)
    listing = store_listing(content_store, locale)
    assert (listing.name, listing.keywords) == (content.listing.name, content.listing.keywords)
    assert listing.countries == content.listing.countries
    assert listing.description.startswith(content.listing.description.strip())
    assert listing.description.endswith("\n\n" + content.disclaimer.text.strip())


def test_a_broken_listing_stops_the_export_with_its_reason(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    responses = project / "responses"
    shutil.copytree(data_dir("responses"), responses)
    store = responses / "en-US" / "store.toml"
    store.write_text(
        store.read_text("utf-8").replace('countries = ["US"]', 'countries = "US"'), "utf-8"
    )
    monkeypatch.setattr("skill.commands.export.data_dir", lambda name: responses)
    assert main(["export", "--endpoint", ENDPOINT]) == 2
    assert "listing.countries: expected a list" in capsys.readouterr().err
    assert not (project / "skill-package").exists()


@pytest.fixture
def good_listing(content_store: ContentStore) -> Listing:
    return store_listing(content_store, LOCALES[0])


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"name": "C"}, "name must be"),
        ({"summary": "x" * 161}, "summary must be"),
        ({"description": "x" * 4001}, "description must be"),
        ({"example_phrases": ()}, "examplePhrases must hold"),
        ({"example_phrases": ("Alexa, open cramp relief",) * 4}, "examplePhrases must hold"),
        ({"example_phrases": ("open cramp relief",)}, "must start with 'Alexa,'"),
        ({"example_phrases": ("Alexa, my calf hurts",)}, "launch phrase"),
        ({"example_phrases": ("Alexa, open something else",)}, "must name the skill"),
        ({"keywords": ("x",) * 31}, "keywords must be"),
        ({"keywords": ("",)}, "keywords must be"),
        ({"countries": ("usa",)}, "alpha-2"),
        ({"countries": ()}, "distributionCountries must list"),
    ],
)
def test_build_manifest_refuses_a_bad_listing(
    change: dict[str, Any], problem: str, good_listing: Listing
) -> None:
    listing = dataclasses.replace(good_listing, **change)
    locale = LOCALES[0]
    with pytest.raises(PackageError, match=problem):
        build_manifest(
            {locale: listing}, endpoint=ENDPOINT, invocation_names={locale: "cramp relief"}
        )


def test_build_manifest_refuses_no_locales() -> None:
    with pytest.raises(PackageError, match="no locales"):
        build_manifest({}, endpoint=ENDPOINT)


@pytest.mark.parametrize(
    ("breaks", "problem"),
    [
        (lambda m: m.pop("manifest"), "no manifest"),
        (lambda m: m["manifest"].update(manifestVersion="2.0"), "manifestVersion"),
        (lambda m: m["manifest"].pop("privacyAndCompliance"), "privacyAndCompliance"),
        (lambda m: m["manifest"]["privacyAndCompliance"].pop("containsAds"), "containsAds"),
        (lambda m: m["manifest"]["publishingInformation"].update(category="GAMES"), "category"),
        (lambda m: m["manifest"]["publishingInformation"].update(locales={}), "at least one"),
        (lambda m: m["manifest"]["apis"].pop("custom"), "endpoint is missing"),
        (
            lambda m: m["manifest"]["apis"]["custom"]["endpoint"].update(uri="http://x.org/a"),
            "must use https",
        ),
        (
            lambda m: m["manifest"]["apis"]["custom"]["endpoint"].pop("sslCertificateType"),
            "sslCertificateType",
        ),
        (lambda m: _privacy_url(m, "http://cramps.example.com/privacy"), "privacyPolicyUrl"),
        (lambda m: _privacy_url(m, "https:///privacy"), "privacyPolicyUrl"),
        (lambda m: _privacy_url(m, 42), "privacyPolicyUrl"),
    ],
)
def test_manifest_problems_catches(breaks: Any, problem: str, good_listing: Listing) -> None:
    manifest = build_manifest({LOCALES[0]: good_listing}, endpoint=ENDPOINT)
    breaks(manifest)
    assert any(problem in found for found in manifest_problems(manifest))


def _privacy_url(manifest: dict[str, Any], url: object) -> None:
    for legal in manifest["manifest"]["privacyAndCompliance"]["locales"].values():
        legal["privacyPolicyUrl"] = url
