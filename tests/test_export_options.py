"""`cramp-relief export`'s options and refusals: certificate, URLs, locale, out folder, endpoint."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from skill.cli import main
from skill.data import data_dir
from skill.interaction_model import Finding
from skill.locales import available_locales
from skill.package.manifest_checks import check_endpoint
from tests.helpers.export import ENDPOINT, read_json

LOCALES = available_locales()


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
