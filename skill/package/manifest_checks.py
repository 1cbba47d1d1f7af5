"""Amazon's rules for a skill manifest (skill.json), checked here so `ask deploy` and
certification do not fail on them later: the endpoint, the store listing's limits, the
privacy flags.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, get_args
from urllib.parse import urlsplit

from skill.package.public_endpoint import host_problem

CertificateType = Literal["Trusted", "Wildcard", "SelfSigned"]
CERTIFICATE_TYPES: Final[tuple[str, ...]] = get_args(CertificateType)
CATEGORY: Final = "HEALTH_AND_FITNESS"
MANIFEST_VERSION: Final = "1.0"

# Amazon's limits on the store listing, checked here so `ask deploy` does not fail on them later.
NAME_LENGTH: Final = (2, 50)
SUMMARY_MAX: Final = 160
DESCRIPTION_MAX: Final = 4000
EXAMPLE_PHRASES: Final = (1, 3)
EXAMPLE_PHRASE_MAX: Final = 200
KEYWORDS_MAX: Final = 30
TESTING_INSTRUCTIONS_MAX: Final = 4000
# What the skill does that Alexa must be told of: name-free requests, and screens.
REQUIRED_INTERFACES: Final = ("CAN_FULFILL_INTENT_REQUEST", "ALEXA_PRESENTATION_APL")
_WAKE_WORD: Final = "alexa,"
_LAUNCH_PHRASES: Final = ("open", "start", "launch", "begin", "ask", "tell", "load", "play", "use")


class PackageError(ValueError):
    """The package cannot be built as asked; the message says why, for the command line."""


def check_endpoint(uri: str) -> str:
    """`uri` if Alexa can call it: HTTPS on port 443 at a public host name, with no credentials,
    query or fragment; PackageError otherwise."""
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
    if parts.query:
        raise PackageError(f"endpoint {uri!r} must not carry a ?query: the server serves none")
    problem = host_problem(parts.hostname)
    if problem is not None:
        raise PackageError(f"endpoint {uri!r}: {parts.hostname} {problem}")
    return uri


def check_https_url(url: str, what: str) -> str:
    """A privacy policy or terms URL: absolute https, as the store shows it to customers."""
    if not is_https_url(url):
        raise PackageError(f"{what} {url!r} must be an absolute https URL")
    return url


def is_https_url(url: object) -> bool:
    parts = urlsplit(url) if isinstance(url, str) else None
    return parts is not None and parts.scheme == "https" and bool(parts.hostname)


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
    problems += _interface_problems(manifest.get("apis"))
    return problems


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
    instructions = publishing.get("testingInstructions")
    if not (isinstance(instructions, str) and 0 < len(instructions) <= TESTING_INSTRUCTIONS_MAX):
        problems.append(f"testingInstructions must be 1 to {TESTING_INSTRUCTIONS_MAX} characters")
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
    for icon in ("smallIconUri", "largeIconUri"):
        uri = listing.get(icon)
        if not (isinstance(uri, str) and uri.startswith(("file://", "https://"))):
            problems.append(f"{icon} must name the icon (a file:// path in the package, or https)")
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
    problems = [
        f"privacyAndCompliance.{flag} must be true or false"
        for flag in flags
        if not isinstance(privacy.get(flag), bool)
    ]
    # The skill keeps data (a hashed id and a routine position): certification wants a policy.
    locales = privacy.get("locales")
    if not isinstance(locales, Mapping) or not locales:
        return [*problems, "privacyAndCompliance.locales must give each locale a privacy URL"]
    for locale, legal in locales.items():
        url = legal.get("privacyPolicyUrl") if isinstance(legal, Mapping) else None
        if not is_https_url(url):
            problems.append(f"{locale}: privacyPolicyUrl must be an absolute https URL")
    return problems


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


def _interface_problems(apis: object) -> list[str]:
    custom = apis.get("custom") if isinstance(apis, Mapping) else None
    interfaces = custom.get("interfaces") if isinstance(custom, Mapping) else None
    if not isinstance(interfaces, list):
        return ["manifest.apis.custom.interfaces must be a list"]
    declared = {i.get("type") for i in interfaces if isinstance(i, Mapping)}
    return [
        f"apis.custom.interfaces must declare {kind}"
        for kind in REQUIRED_INTERFACES
        if kind not in declared
    ]
