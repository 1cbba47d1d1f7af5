"""`cramp-relief build-model`: expand interaction_models/sentences into the model JSON files.

Writes interaction_models/<locale>.json for every locale with a template folder (or the ones
named), after checking each expansion as check-model would; a model with an error is not written.
`--check` writes nothing and exits 1 when a committed file differs from its expansion.
Needs hassil (installed with the test extra: pip install -e '.[test]').
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from skill.data import data_dir
from skill.interaction_model import check_model

EXIT_OK = 0
EXIT_FAILED = 1


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locale", action="append", default=[], metavar="LOCALE")
    parser.add_argument(
        "--check", action="store_true", help="only compare with the committed files"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return build(args.locale, check=args.check, out=sys.stdout, err=sys.stderr)


def build(locales: list[str], *, check: bool, out: TextIO, err: TextIO) -> int:
    """Expand (and write, unless `check`) each locale's model; the exit code."""
    # Imported here: hassil is a build-time tool, not something serving the skill needs.
    from skill.sentences import (
        SentenceError,
        build_model,
        model_text,
        sample_count,
        template_locales,
    )

    have = template_locales()
    unknown = sorted(set(locales) - set(have))
    if unknown:
        err.write(f"build-model: no templates for {', '.join(unknown)}; have {have}\n")
        return EXIT_FAILED
    failed = False
    for locale in locales or have:
        try:
            model = build_model(locale)
        except SentenceError as error:
            err.write(f"build-model: {locale}: {error}\n")
            failed = True
            continue
        errors = [f for f in check_model(model) if f.level == "error"]
        for finding in errors:
            err.write(f"build-model: {locale}: {finding.code}: {finding.message}\n")
        if errors:
            failed = True
            continue
        path = data_dir("interaction_models") / f"{locale}.json"
        text = model_text(model)
        counts = sample_count(model)
        summary = f"{sum(counts.values())} samples in {len(counts)} intents"
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if check:
            if current != text:
                err.write(f"build-model: {path} differs from its templates; run build-model\n")
                failed = True
            else:
                out.write(f"{locale}: up to date ({summary})\n")
            continue
        if current != text:
            path.write_text(text, encoding="utf-8")
        out.write(f"{locale}: {'unchanged' if current == text else 'wrote'} {path} ({summary})\n")
    return EXIT_FAILED if failed else EXIT_OK
