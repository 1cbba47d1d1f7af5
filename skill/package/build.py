"""The ASK CLI skill package: skill.json and interactionModels/custom/<locale>.json.

Layout and fields follow the ASK CLI v2 project format (`ask-resources.json` at the project root,
`skillMetadata.src` naming the package folder) and Amazon's skill manifest schema. The store text
is content, kept per locale in responses/<locale>/store.toml and read, typed and checked by the
content store (skill.content) with the rest; this module only assembles it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final
from urllib.parse import urlsplit

from skill.alexa_api import REMINDERS_SCOPE
from skill.content import ContentStore
from skill.content.schema import Listing
from skill.data import data_dir
from skill.package.icons import LARGE, SMALL, icon_png
from skill.package.manifest_checks import (
    CATEGORY,
    CERTIFICATE_TYPES,
    MANIFEST_VERSION,
    CertificateType,
    PackageError,
    check_endpoint,
    check_https_url,
    manifest_problems,
)
from skill.package.testing_instructions import load_instructions

ASK_RESOURCES_VERSION: Final = "2020-03-31"
# The store icons, written into the package and named in skill.json as files the ASK CLI uploads.
ICON_FILES: Final = MappingProxyType(
    {SMALL: "assets/images/small-icon.png", LARGE: "assets/images/large-icon.png"}
)
# The skill serves its own privacy policy (skill.privacy): a page per locale, on its own host.
PRIVACY_PATH: Final = "/privacy"
# The viewport profiles the APL documents are sized for (responses/<locale>/apl/_theme.json):
# the round Echo Spot, Echo Show 5, Show 8 and 10, Show 15 and TVs, as Amazon's manifest names
# them. Sizes in dp.
_VIEWPORT_FIELDS: Final = ("mode", "shape", "minWidth", "maxWidth", "minHeight", "maxHeight")
APL_VIEWPORTS: Final = tuple(
    MappingProxyType(dict(zip(_VIEWPORT_FIELDS, profile, strict=True)))
    for profile in (
        ("HUB", "ROUND", 100, 599, 100, 599),
        ("HUB", "RECTANGLE", 960, 1279, 100, 599),
        ("HUB", "RECTANGLE", 960, 1279, 600, 959),
        ("HUB", "RECTANGLE", 1280, 1920, 600, 1279),
        ("TV", "RECTANGLE", 960, 960, 540, 540),
    )
)


def store_listing(store: ContentStore, locale: str) -> Listing:
    """The store listing of `locale` as skill.json carries it: responses/<locale>/store.toml
    over its fallbacks, as the content store reads it, with the disclaimer Help speaks appended
    to the description."""
    content = store.content(locale)
    listing = content.listing
    return replace(
        listing,
        name=listing.name.strip(),
        summary=listing.summary.strip(),
        description=f"{listing.description.strip()}\n\n{content.disclaimer.text.strip()}",
    )


def build_manifest(
    listings: Mapping[str, Listing],
    *,
    endpoint: str,
    certificate: CertificateType = "Trusted",
    privacy_url: str | None = None,
    terms_url: str | None = None,
    invocation_names: Mapping[str, str] | None = None,
    testing_instructions: str | None = None,
) -> dict[str, Any]:
    """The skill.json document for these locales (locale -> its store_listing); PackageError
    if Amazon would refuse it.

    Without `privacy_url` each locale links the skill's own page on the endpoint's host
    (/privacy/<locale>). Without `testing_instructions`, those of certification.toml. With
    `invocation_names` (locale -> name), example phrases must call the skill by its name.
    """
    if not listings:
        raise PackageError("no locales to export")
    if certificate not in CERTIFICATE_TYPES:
        raise PackageError(f"certificate type must be one of {', '.join(CERTIFICATE_TYPES)}")
    check_endpoint(endpoint)
    if privacy_url is not None:
        check_https_url(privacy_url, "privacy policy URL")
    if terms_url is not None:
        check_https_url(terms_url, "terms of use URL")
    instructions = testing_instructions or load_instructions().text()
    countries = sorted({country for listing in listings.values() for country in listing.countries})
    privacy: dict[str, Any] = {
        "allowsPurchases": False,
        "usesPersonalInfo": False,
        "isChildDirected": False,
        "isExportCompliant": True,
        "containsAds": False,
    }
    privacy["locales"] = {
        locale: {
            "privacyPolicyUrl": privacy_url or own_privacy_url(endpoint, locale),
            **({"termsOfUseUrl": terms_url} if terms_url else {}),
        }
        for locale in listings
    }
    manifest = {
        "manifest": {
            "manifestVersion": MANIFEST_VERSION,
            "publishingInformation": {
                "locales": {
                    locale: {
                        "name": listing.name,
                        "summary": listing.summary,
                        "description": listing.description,
                        "examplePhrases": list(listing.example_phrases),
                        "keywords": list(listing.keywords),
                        "smallIconUri": f"file://{ICON_FILES[SMALL]}",
                        "largeIconUri": f"file://{ICON_FILES[LARGE]}",
                    }
                    for locale, listing in listings.items()
                },
                "category": CATEGORY,
                # Offered only where a locale's listing says so: the emergency line names that
                # country's number (911 for en-US in the US, 999 for en-GB in the UK).
                "isAvailableWorldwide": False,
                "distributionCountries": countries,
                "testingInstructions": instructions,
            },
            "privacyAndCompliance": privacy,
            # The nightly bedtime reminder (skill.conversation.reminders) needs this scope.
            "permissions": [{"name": REMINDERS_SCOPE}],
            "apis": {
                "custom": {
                    "endpoint": {"uri": endpoint, "sslCertificateType": certificate},
                    "interfaces": [
                        # Without it Alexa never asks, and "Alexa, my calf is cramping" (no
                        # skill name) cannot reach the skill.
                        {"type": "CAN_FULFILL_INTENT_REQUEST"},
                        {
                            "type": "ALEXA_PRESENTATION_APL",
                            "supportedViewports": [dict(viewport) for viewport in APL_VIEWPORTS],
                        },
                    ],
                }
            },
        }
    }
    problems = manifest_problems(manifest, invocation_names)
    if problems:
        raise PackageError("; ".join(problems))
    return manifest


def own_privacy_url(endpoint: str, locale: str) -> str:
    """The privacy page the skill serves itself, on the endpoint's host, for `locale`."""
    return f"https://{urlsplit(endpoint).netloc}{PRIVACY_PATH}/{locale}"


def write_package(
    out: Path, manifest: Mapping[str, Any], locales: Sequence[str], models: Path | None = None
) -> list[Path]:
    """Write skill.json and the locales' interaction models under `out`; return what was written.

    Model files of locales not exported this time are removed, so `ask deploy` cannot upload a
    stale one; nothing else under `out` is touched.
    """
    source = models or data_dir("interaction_models")
    custom = out / "interactionModels" / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    written = [out / "skill.json"]
    _write_json(written[0], manifest)
    for side, name in ICON_FILES.items():
        icon = out / name
        icon.parent.mkdir(parents=True, exist_ok=True)
        icon.write_bytes(icon_png(side))
        written.append(icon)
    for locale in locales:
        target = custom / f"{locale}.json"
        # Copied byte for byte: the package holds exactly the model check-model judged.
        shutil.copyfile(source / f"{locale}.json", target)
        written.append(target)
    for stale in custom.glob("*.json"):
        if stale.stem not in locales:
            stale.unlink()
    return written


def ask_resources(package: Path, project: Path) -> dict[str, Any]:
    """ask-resources.json for a project at `project` whose skill package is `package`: metadata
    only, since the skill runs on our own HTTPS server rather than a Lambda the CLI deploys."""
    src = Path(package).resolve().relative_to(Path(project).resolve()).as_posix()
    return {
        "askcliResourcesVersion": ASK_RESOURCES_VERSION,
        "profiles": {"default": {"skillMetadata": {"src": f"./{src}"}}},
    }


def _write_json(path: Path, document: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
