"""`cramp-relief check-model`: the developer console's pre-upload checks, offline.

Read by skill.interaction_model's one reader and judged by its checks, as the model tests judge
them, so a model that passes here passes there. Exit 0 when no file has an error (warnings are
printed but do not fail), 1 when one does, 2 for a locale or file that cannot be read at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from skill.interaction_model import Finding, check_reading, model_path, read_model_file
from skill.locales import available_locales

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


@dataclass(frozen=True)
class Report:
    """The findings for one model file; `label` names it the way the user asked for it."""

    label: str
    path: Path
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(finding.level == "error" for finding in self.findings)

    @property
    def warnings(self) -> int:
        return sum(finding.level == "warning" for finding in self.findings)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--locale",
        action="append",
        default=[],
        metavar="LOCALE",
        help="a shipped locale to check (repeatable; default: every locale in interaction_models)",
    )
    parser.add_argument(
        "--path",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="an interaction model JSON file to check instead (repeatable)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return check(args.locale, args.path, out=sys.stdout, err=sys.stderr)


def check(locales: Sequence[str], paths: Sequence[Path], *, out: TextIO, err: TextIO) -> int:
    """Check the named locales and files (all shipped locales when neither is given)."""
    targets = _targets(locales, paths, err)
    if targets is None:
        return EXIT_UNREADABLE
    reports: list[Report] = []
    for label, path in targets:
        report = _check_file(label, path, err)
        if report is None:
            return EXIT_UNREADABLE
        reports.append(report)
    for report in reports:
        _print_report(report, out)
    errors = sum(report.errors for report in reports)
    warnings = sum(report.warnings for report in reports)
    out.write(
        f"{len(reports)} model(s) checked: {_count(errors, 'error')}, "
        f"{_count(warnings, 'warning')}\n"
    )
    return EXIT_ERRORS if errors else EXIT_OK


def _targets(
    locales: Sequence[str], paths: Sequence[Path], err: TextIO
) -> list[tuple[str, Path]] | None:
    shipped = available_locales()
    unknown = [locale for locale in locales if locale not in shipped]
    if unknown:
        err.write(f"check-model: no interaction model for {', '.join(unknown)}; have {shipped}\n")
        return None
    chosen = list(dict.fromkeys(locales)) or ([] if paths else shipped)
    return [(locale, model_path(locale)) for locale in chosen] + [
        (str(path), path) for path in paths
    ]


def _check_file(label: str, path: Path, err: TextIO) -> Report | None:
    try:
        reading = read_model_file(path)
    except (OSError, UnicodeDecodeError) as error:
        err.write(f"check-model: cannot read {path}: {error}\n")
        return None
    return Report(label, path, tuple(check_reading(reading)))


def _print_report(report: Report, out: TextIO) -> None:
    if not report.findings:
        out.write(f"{report.label}: OK ({report.path})\n")
        return
    out.write(
        f"{report.label}: {_count(report.errors, 'error')}, "
        f"{_count(report.warnings, 'warning')} ({report.path})\n"
    )
    # Errors first: they are what blocks the upload.
    for finding in sorted(report.findings, key=lambda finding: finding.level != "error"):
        out.write(f"  {finding.level:<7} {finding.code}: {finding.message}\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
