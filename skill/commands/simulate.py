"""`cramp-relief simulate`: talk to the skill by typing, offline, and see what Alexa would send.

With utterances on the command line, says each in turn, prints every turn and exits (0, or 1 if
a reply was unusable); without, an interactive prompt. In-process by default: the skill's own
app, with request verification on and a throwaway development CA trusted. With --url, a running
`cramp-relief serve --dev`, each request signed by the shared development CA in --dev-ca.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from skill.app import create_app
from skill.devtools.ca_dir import DEV_CA_DIR_ENV, default_dev_ca_dir
from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.devtools.trust import ephemeral_dev_ca, in_process_config
from skill.locales import DEFAULT_LOCALE, available_locales
from skill.simulator.alexa_api import AlexaApiStandIn
from skill.simulator.alexa_api_link import AlexaApiLink
from skill.simulator.console import run_interactive, run_script
from skill.simulator.device import device_profiles
from skill.simulator.session import Simulator
from skill.simulator.speaker import Speaker


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "utterances",
        nargs="*",
        metavar="UTTERANCE",
        help='say these in order, print each turn and exit, e.g. "open cramp relief" "yes"; '
        "an empty string is silence. Without any: an interactive prompt",
    )
    parser.add_argument("--locale", default=DEFAULT_LOCALE, choices=available_locales())
    parser.add_argument("--json", action="store_true", help="print request and response JSON")
    parser.add_argument("--speak", action="store_true", help="read replies aloud with espeak-ng")
    parser.add_argument(
        "--url",
        help="a running `cramp-relief serve --dev`, e.g. http://127.0.0.1:8080/alexa "
        "(default: the skill in this process)",
    )
    parser.add_argument(
        "--dev-ca",
        type=Path,
        metavar="DIR",
        help=f"the development CA folder shared with `serve --dev` (default: ${DEV_CA_DIR_ENV}, "
        "else ~/.cache/cramp-relief/dev-ca); used with --url",
    )
    parser.add_argument(
        "--skill-id", help="the applicationId to send (default: a placeholder skill id)"
    )
    parser.add_argument(
        "--device",
        default="speaker",
        metavar="NAME",
        help="the device to talk through: speaker (default), echo-show-8 or echo-spot (a screen: "
        "replies carry APL, and :touch presses its buttons)",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show the skill's request log on stderr"
    )
    parser.set_defaults(run=run)


def build_simulator(args: argparse.Namespace) -> Simulator:
    """The simulator the arguments ask for: over HTTP with --url, else the skill in this process
    with request verification on, trusting a development CA made for this process."""
    extra: dict[str, Any] = {"skill_id": args.skill_id} if args.skill_id else {}
    if args.url:
        directory = args.dev_ca or default_dev_ca_dir()
        ca = load_or_create_dev_ca(directory)
        # The Alexa API stand-in the server started, if it published one beside the CA.
        link = AlexaApiLink.read(directory)
        return Simulator.over_http(args.url, ca, locale=args.locale, alexa_api=link, **extra)
    ca = ephemeral_dev_ca()
    # Alexa's Reminders and settings APIs, offline: a stand-in on 127.0.0.1 for this process.
    stand_in = AlexaApiStandIn().start()
    link = AlexaApiLink(stand_in.endpoint, str(stand_in.ca_file))
    app = create_app({**in_process_config(ca), **link.app_config()})
    return Simulator.in_process(app, ca, locale=args.locale, alexa_api=link, **extra)


def run(args: argparse.Namespace) -> int:
    if not args.verbose:
        # The in-process app logs a line per request; between turns that is noise.
        logging.getLogger().setLevel(logging.WARNING)
    if args.dev_ca is not None and not args.url:
        print("note: --dev-ca is used only with --url", file=sys.stderr)
    profiles = device_profiles()
    if args.device not in profiles:
        print(
            f"cramp-relief simulate: --device must be one of {', '.join(profiles)}", file=sys.stderr
        )
        return 2
    try:
        simulator = build_simulator(args)
    except ValueError as error:
        print(f"cramp-relief simulate: {error}", file=sys.stderr)
        return 2
    simulator.device.use(profiles[args.device])
    speaker = Speaker(args.locale, sys.stderr) if args.speak else None
    if args.utterances:
        return run_script(simulator, args.utterances, sys.stdout, args.json, speaker)
    return run_interactive(simulator, sys.stdout, args.json, speaker)
