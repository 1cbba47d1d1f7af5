"""`cramp-relief export`: an ASK CLI skill package that `ask deploy` accepts.

Writes OUT/skill.json (both interfaces the skill uses, testing instructions for certification,
a privacy policy URL), OUT/assets/images/ (the store icons), the models in
OUT/interactionModels/custom/<locale>.json, and an ask-resources.json beside OUT when there is
none yet (an existing one is left alone: it may hold your skill id). The endpoint must be public
HTTPS on port 443; one whose path is not the served /alexa is written with a warning, and after a
warning there is no "ask deploy" line. The models must pass check-model first. Exit 0 on success,
1 when a model has errors, 2 when the arguments or the store text cannot make a package.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from skill.content import ContentError, ContentStore
from skill.data import data_dir
from skill.interaction_model import check_reading, load_model, model_path, read_model_file
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.package.build import ask_resources, build_manifest, store_listing, write_package
from skill.package.manifest_checks import (
    CERTIFICATE_TYPES,
    CertificateType,
    PackageError,
    check_endpoint,
)
from skill.package.public_endpoint import path_warning

EXIT_OK = 0
EXIT_MODEL_ERRORS = 1
EXIT_USAGE = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the skill's public HTTPS endpoint, e.g. https://cramps.example.com/alexa",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("skill-package"),
        metavar="DIR",
        help="the skill package folder to write (default: ./skill-package)",
    )
    parser.add_argument(
        "--certificate",
        choices=CERTIFICATE_TYPES,
        default="Trusted",
        help="the endpoint's SSL certificate type (default: Trusted, the only one certification "
        "accepts; SelfSigned and Wildcard are for testing)",
    )
    parser.add_argument(
        "--locale",
        action="append",
        default=[],
        metavar="LOCALE",
        help="a locale to include (repeatable; default: every locale with a model)",
    )
    parser.add_argument(
        "--privacy-url",
        metavar="URL",
        help="privacy policy URL (https; default: the page the skill serves itself, "
        "https://<endpoint host>/privacy/<locale>)",
    )
    parser.add_argument("--terms-url", metavar="URL", help="terms of use URL (https)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return export(
        endpoint=args.endpoint,
        out=args.out,
        certificate=args.certificate,
        locales=args.locale,
        privacy_url=args.privacy_url,
        terms_url=args.terms_url,
        stdout=sys.stdout,
        stderr=sys.stderr,
    )


def export(
    *,
    endpoint: str,
    out: Path,
    certificate: CertificateType = "Trusted",
    locales: list[str] | None = None,
    privacy_url: str | None = None,
    terms_url: str | None = None,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Build and write the package; messages go to `stdout`, reasons for refusing to `stderr`."""
    try:
        check_endpoint(endpoint)
        chosen = _locales(locales or [])
    except PackageError as error:
        stderr.write(f"export: {error}\n")
        return EXIT_USAGE
    if not _models_pass(chosen, stderr):
        return EXIT_MODEL_ERRORS
    try:
        store = ContentStore(data_dir("responses"), DEFAULT_LOCALE, chosen)
        manifest = build_manifest(
            {locale: store_listing(store, locale) for locale in chosen},
            endpoint=endpoint,
            certificate=certificate,
            privacy_url=privacy_url,
            terms_url=terms_url,
            invocation_names={locale: load_model(locale).invocation_name for locale in chosen},
        )
    except (ContentError, PackageError) as error:
        stderr.write(f"export: {error}\n")
        return EXIT_USAGE
    if out.exists() and not out.is_dir():
        stderr.write(f"export: {out} exists and is not a folder\n")
        return EXIT_USAGE
    for path in write_package(out, manifest, chosen):
        stdout.write(f"wrote {path}\n")
    warnings = [w for w in (path_warning(endpoint), _write_ask_resources(out, stdout)) if w]
    for warning in warnings:
        stderr.write(f"export: warning: {warning}\n")
    if certificate != "Trusted":
        stderr.write(
            f"export: note: a {certificate} certificate is for testing; certification and "
            "publishing accept only Trusted\n"
        )
    stdout.write(f"Skill package for {', '.join(chosen)} -> {endpoint} ({certificate}).\n")
    if warnings:
        # A package that would not work is not one to upload: no upload command after a warning.
        stdout.write("Not ready to upload: fix the warnings above and export again.\n")
    else:
        stdout.write(f"Deploy it with the ASK CLI: cd {out.resolve().parent} && ask deploy\n")
    return EXIT_OK


def _locales(requested: list[str]) -> list[str]:
    shipped = available_locales()
    unknown = [locale for locale in requested if locale not in shipped]
    if unknown:
        raise PackageError(f"no interaction model for {', '.join(unknown)}; have {shipped}")
    return list(dict.fromkeys(requested)) or shipped


def _models_pass(locales: list[str], stderr: TextIO) -> bool:
    """check-model's verdict on each locale: a package with a model error would fail to build."""
    passed = True
    for locale in locales:
        for finding in check_reading(read_model_file(model_path(locale), locale)):
            if finding.level == "error":
                passed = False
                stderr.write(f"export: {locale}: {finding.code}: {finding.message}\n")
    if not passed:
        stderr.write("export: fix the model errors above (cramp-relief check-model) first\n")
    return passed


def _write_ask_resources(out: Path, stdout: TextIO) -> str | None:
    """Write ask-resources.json beside `out` if there is none; a warning if the one there does
    not point at `out`."""
    project = out.resolve().parent
    path = project / "ask-resources.json"
    wanted = ask_resources(out, project)
    if not path.exists():
        path.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
        stdout.write(f"wrote {path}\n")
        return None
    try:
        existing = json.loads(path.read_text(encoding="utf-8"))
        src = existing["profiles"]["default"]["skillMetadata"]["src"]
    except (ValueError, KeyError, TypeError):
        src = None
    wanted_src = wanted["profiles"]["default"]["skillMetadata"]["src"]
    if Path(str(src)) == Path(wanted_src):
        return None
    return (
        f"left {path} as it is, but its profiles.default.skillMetadata.src is {src!r}, not "
        f"{wanted_src!r}: ask deploy will not upload this package"
    )
