"""Store listings and the manifest checks: build_manifest and manifest_problems refuse bad ones."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from skill.content import ContentStore
from skill.content.schema import Listing
from skill.locales import available_locales
from skill.package.build import build_manifest, store_listing
from skill.package.manifest_checks import PackageError, manifest_problems
from tests.helpers.export import ENDPOINT

LOCALES = available_locales()


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
