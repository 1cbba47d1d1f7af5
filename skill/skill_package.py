"""The ASK CLI skill package: skill.json and interactionModels/custom/<locale>.json.

Layout and fields follow the ASK CLI v2 project format (`ask-resources.json` at the project root,
`skillMetadata.src` naming the package folder) and Amazon's skill manifest schema. The store text
is content, kept per locale in responses/<locale>/store.toml; this module only assembles it.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, get_args
from urllib.parse import urlsplit

from skill.content import merged_tables
from skill.data import data_dir
from skill.locales import DEFAULT_LOCALE, fallback_chain

CertificateType = Literal["Trusted", "Wildcard", "SelfSigned"]
CERTIFICATE_TYPES: Final[tuple[str, ...]] = get_args(CertificateType)
CATEGORY: Final = "HEALTH_AND_FITNESS"
MANIFEST_VERSION: Final = "1.0"
ASK_RESOURCES_VERSION: Final = "2020-03-31"
STORE_FILE: Final = "store.toml"

# Amazon's limits on the store listing, checked here so `ask deploy` does not fail on them later.
NAME_LENGTH: Final = (2, 50)
SUMMARY_MAX: Final = 160
DESCRIPTION_MAX: Final = 4000
EXAMPLE_PHRASES: Final = (1, 3)
EXAMPLE_PHRASE_MAX: Final = 200
KEYWORDS_MAX: Final = 30
_WAKE_WORD: Final = "alexa,"
_LAUNCH_PHRASES: Final = ("open", "start", "launch", "begin", "ask", "tell", "load", "play", "use")


class PackageError(ValueError):
    """The package cannot be built as asked; the message says why, for the command line."""


@dataclass(frozen=True)
class StoreListing:
    """One locale's store text, from responses/<locale>/store.toml plus the spoken disclaimer."""

    locale: str
    name: str
    summary: str
    description: str
    example_phrases: tuple[str, ...]
    keywords: tuple[str, ...]
    countries: tuple[str, ...]


def load_listing(locale: str, responses: Path | None = None) -> StoreListing:
    """The store listing of `locale`, its store.toml merged over its fallbacks (en-GB over en-US),
    with content.toml's disclaimer sentence appended to the description."""
    root = responses or data_dir("responses")
    folders = sorted(path.name for path in root.iterdir() if path.is_dir())
    merged: dict[str, Any] = {}
    for folder in reversed(fallback_chain(locale, folders, DEFAULT_LOCALE)):
        path = root / folder / STORE_FILE
        if path.is_file():
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
    if not merged:
        raise PackageError(f"no {STORE_FILE} for {locale} under {root}")
    disclaimer = merged_tables(root, locale, DEFAULT_LOCALE).get("disclaimer")
    if not isinstance(disclaimer, Mapping) or not isinstance(disclaimer.get("text"), str):
        raise PackageError(f"{locale}: content.toml has no [disclaimer] text for the store")
    description = _text(merged, "description", locale).strip()
    return StoreListing(
        locale=locale,
        name=_text(merged, "name", locale).strip(),
        summary=_text(merged, "summary", locale).strip(),
        description=f"{description}\n\n{disclaimer['text'].strip()}",
        example_phrases=_texts(merged, "example_phrases", locale),
        keywords=_texts(merged, "keywords", locale),
        countries=_texts(merged, "countries", locale),
    )


def check_endpoint(uri: str) -> str:
    """`uri` if Alexa can call it: HTTPS on port 443 with a host; PackageError otherwise."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as error:
        raise PackageError(f"endpoint {uri!r} is not a valid URL: {error}") from error
    if parts.scheme != "https":
        raise PackageError(f"endpoint {uri!r} must use https: Alexa calls skills only over HTTPS")
    if not parts.hostname:
        raise PackageError(f"endpoint {uri!r} has no host name")
    if port not in (None, 443):
        raise PackageError(f"endpoint {uri!r}: Alexa calls HTTPS endpoints on port 443 only")
    if parts.username or parts.password or parts.fragment:
        raise PackageError(f"endpoint {uri!r} must not carry credentials or a #fragment")
    return uri


def check_https_url(url: str, what: str) -> str:
    """A privacy policy or terms URL: absolute https, as the store shows it to customers."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise PackageError(f"{what} {url!r} must be an absolute https URL")
    return url


def build_manifest(
    listings: Sequence[StoreListing],
    *,
    endpoint: str,
    certificate: CertificateType = "Trusted",
    privacy_url: str | None = None,
    terms_url: str | None = None,
    invocation_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The skill.json document for these locales; PackageError if Amazon would refuse it.

    With `invocation_names` (locale -> name), example phrases must call the skill by its name.
    """
    if not listings:
        raise PackageError("no locales to export")
    if certificate not in CERTIFICATE_TYPES:
        raise PackageError(f"certificate type must be one of {', '.join(CERTIFICATE_TYPES)}")
    check_endpoint(endpoint)
    legal: dict[str, str] = {}
    if privacy_url is not None:
        legal["privacyPolicyUrl"] = check_https_url(privacy_url, "privacy policy URL")
    if terms_url is not None:
        legal["termsOfUseUrl"] = check_https_url(terms_url, "terms of use URL")
    countries = sorted({country for listing in listings for country in listing.countries})
    privacy: dict[str, Any] = {
        "allowsPurchases": False,
        "usesPersonalInfo": False,
        "isChildDirected": False,
        "isExportCompliant": True,
        "containsAds": False,
    }
    if legal:
        privacy["locales"] = {listing.locale: dict(legal) for listing in listings}
    manifest = {
        "manifest": {
            "manifestVersion": MANIFEST_VERSION,
            "publishingInformation": {
                "locales": {
                    listing.locale: {
                        "name": listing.name,
                        "summary": listing.summary,
                        "description": listing.description,
                        "examplePhrases": list(listing.example_phrases),
                        "keywords": list(listing.keywords),
                    }
                    for listing in listings
                },
                "category": CATEGORY,
                # Offered only where a locale's listing says so: its advice names no country's
                # emergency number, but the store text is written for those audiences.
                "isAvailableWorldwide": False,
                "distributionCountries": countries,
            },
            "privacyAndCompliance": privacy,
            "apis": {
                "custom": {
                    "endpoint": {"uri": endpoint, "sslCertificateType": certificate},
                    "interfaces": [],
                }
            },
        }
    }
    problems = manifest_problems(manifest, invocation_names)
    if problems:
        raise PackageError("; ".join(problems))
    return manifest


def manifest_problems(
    document: Mapping[str, Any], invocation_names: Mapping[str, str] | None = None
) -> list[str]:
    """What Amazon would refuse in a skill.json document ([] when none).

    With `invocation_names` (locale -> name), each locale's example phrases must also call the
    skill by its name.
    """
    problems: list[str] = []
    manifest = document.get("manifest")
    if not isinstance(manifest, Mapping):
        return ["skill.json has no manifest object"]
    if manifest.get("manifestVersion") != MANIFEST_VERSION:
        problems.append(f"manifestVersion must be {MANIFEST_VERSION!r}")
    problems += _publishing_problems(manifest.get("publishingInformation"), invocation_names)
    problems += _privacy_problems(manifest.get("privacyAndCompliance"))
    problems += _endpoint_problems(manifest.get("apis"))
    return problems


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


def _publishing_problems(
    publishing: object, invocation_names: Mapping[str, str] | None
) -> list[str]:
    if not isinstance(publishing, Mapping):
        return ["manifest.publishingInformation is missing"]
    problems: list[str] = []
    if publishing.get("category") != CATEGORY:
        problems.append(f"category must be {CATEGORY}")
    worldwide = publishing.get("isAvailableWorldwide")
    countries = publishing.get("distributionCountries")
    if not isinstance(worldwide, bool):
        problems.append("isAvailableWorldwide must be true or false")
    elif not worldwide and not (isinstance(countries, list) and countries):
        problems.append("distributionCountries must list countries when not available worldwide")
    if isinstance(countries, list):
        bad = [c for c in countries if not (isinstance(c, str) and len(c) == 2 and c.isupper())]
        if bad:
            problems.append(f"distributionCountries must be ISO 3166 alpha-2 codes, not {bad}")
    locales = publishing.get("locales")
    if not isinstance(locales, Mapping) or not locales:
        return [*problems, "publishingInformation.locales must name at least one locale"]
    for locale, listing in locales.items():
        name = (invocation_names or {}).get(locale)
        problems += [f"{locale}: {p}" for p in _listing_problems(listing, name)]
    return problems


def _listing_problems(listing: object, invocation_name: str | None) -> list[str]:
    if not isinstance(listing, Mapping):
        return ["listing must be an object"]
    problems: list[str] = []
    name, summary = listing.get("name"), listing.get("summary")
    description = listing.get("description")
    shortest, longest = NAME_LENGTH
    if not (isinstance(name, str) and shortest <= len(name) <= longest):
        problems.append(f"name must be {shortest} to {longest} characters")
    if not (isinstance(summary, str) and 0 < len(summary) <= SUMMARY_MAX):
        problems.append(f"summary must be 1 to {SUMMARY_MAX} characters")
    if not (isinstance(description, str) and 0 < len(description) <= DESCRIPTION_MAX):
        problems.append(f"description must be 1 to {DESCRIPTION_MAX} characters")
    phrases = listing.get("examplePhrases")
    fewest, most = EXAMPLE_PHRASES
    if not (isinstance(phrases, list) and fewest <= len(phrases) <= most):
        problems.append(f"examplePhrases must hold {fewest} to {most} phrases")
    else:
        problems += _phrase_problems(phrases, invocation_name)
    keywords = listing.get("keywords")
    if not (isinstance(keywords, list) and len(keywords) <= KEYWORDS_MAX):
        problems.append(f"keywords must be a list of at most {KEYWORDS_MAX}")
    elif not all(isinstance(word, str) and word.strip() for word in keywords):
        problems.append("keywords must be non-empty strings")
    return problems


def _phrase_problems(phrases: list[Any], invocation_name: str | None) -> list[str]:
    problems: list[str] = []
    for position, phrase in enumerate(phrases):
        if not isinstance(phrase, str) or not 0 < len(phrase) <= EXAMPLE_PHRASE_MAX:
            problems.append(
                f"example phrase {position + 1} must be 1 to {EXAMPLE_PHRASE_MAX} chars"
            )
            continue
        words = phrase.lower().split()
        # Certification wants the wake word in each and the first to launch the skill by name.
        if not words or words[0] != _WAKE_WORD:
            problems.append(f"example phrase {phrase!r} must start with 'Alexa,'")
        elif position == 0 and (len(words) < 2 or words[1] not in _LAUNCH_PHRASES):
            problems.append(f"first example phrase {phrase!r} must start with a launch phrase")
        if invocation_name and invocation_name.lower() not in phrase.lower():
            problems.append(f"example phrase {phrase!r} must name the skill ({invocation_name!r})")
    return problems


def _privacy_problems(privacy: object) -> list[str]:
    if not isinstance(privacy, Mapping):
        return ["manifest.privacyAndCompliance is missing"]
    flags = (
        "allowsPurchases",
        "usesPersonalInfo",
        "isChildDirected",
        "isExportCompliant",
        "containsAds",
    )
    return [
        f"privacyAndCompliance.{flag} must be true or false"
        for flag in flags
        if not isinstance(privacy.get(flag), bool)
    ]


def _endpoint_problems(apis: object) -> list[str]:
    custom = apis.get("custom") if isinstance(apis, Mapping) else None
    endpoint = custom.get("endpoint") if isinstance(custom, Mapping) else None
    if not isinstance(endpoint, Mapping):
        return ["manifest.apis.custom.endpoint is missing"]
    problems: list[str] = []
    try:
        check_endpoint(str(endpoint.get("uri", "")))
    except PackageError as error:
        problems.append(str(error))
    if endpoint.get("sslCertificateType") not in CERTIFICATE_TYPES:
        problems.append(f"sslCertificateType must be one of {', '.join(CERTIFICATE_TYPES)}")
    return problems


def _text(table: Mapping[str, Any], key: str, locale: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PackageError(f"{locale}: {STORE_FILE} needs {key} as text")
    return value


def _texts(table: Mapping[str, Any], key: str, locale: str) -> tuple[str, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PackageError(f"{locale}: {STORE_FILE} needs {key} as a list of text")
    return tuple(value)
