"""Dialog tests kept as data: each tests/dialogs/*.yaml is a conversation, typed as a user would
say it, resolved by the simulator's resolver and sent, signed, to the skill in this process.

The format is documented in skill/simulator/dialogs.py and the README; add a file to add a test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from skill.app import create_app
from skill.devtools.devca import DevCA
from skill.devtools.trust import in_process_config
from skill.locales import available_locales
from skill.simulator.alexa_api import AlexaApiStandIn
from skill.simulator.alexa_api_link import AlexaApiLink
from skill.simulator.dialogs import Dialog, parse_dialog, run_dialog
from skill.simulator.session import Simulator

DIALOGS = Path(__file__).parent / "dialogs"
FILES = sorted(DIALOGS.glob("*.yaml"))


def load_dialog(path: Path) -> Dialog:
    return parse_dialog(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem)


@pytest.fixture
def make_simulator(
    dev_ca: DevCA, tmp_path: Path, alexa_api: AlexaApiStandIn
) -> Callable[[str], Simulator]:
    link = AlexaApiLink(alexa_api.endpoint, str(alexa_api.ca_file))

    def make(locale: str) -> Simulator:
        config = {
            **in_process_config(dev_ca),
            **link.app_config(),
            "DATABASE": str(tmp_path / "dialogs.sqlite3"),
        }
        return Simulator.in_process(create_app(config), dev_ca, locale=locale, alexa_api=link)

    return make


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_dialog(path: Path, make_simulator: Callable[[str], Simulator]) -> None:
    failure = run_dialog(load_dialog(path), make_simulator)
    assert failure is None, str(failure)


def test_there_are_dialogs_for_every_locale() -> None:
    assert len(FILES) >= 5
    assert {load_dialog(path).locale for path in FILES} == set(available_locales())


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"turns": [{"say": "hi", "expects": ["typo"]}]}, "unknown keys ['expects']"),
        ({"turns": []}, "non-empty list"),
        ({"turns": [{"say": "hi", "session": "ajar"}]}, "open or closed"),
        ({"turns": [{"say": "hi", "request": "Launch"}]}, "`request` must be one of"),
        ({"turns": [{"say": "hi", "slots": {"muscle": 3}}]}, "string or null"),
        ({"turns": [{"say": 7}]}, "`say` must be a string"),
        ({"turns": [{"say": True}]}, 'quote it, e.g. say: "yes"'),
        (["not", "a", "mapping"], "a dialog is a mapping"),
    ],
)
def test_malformed_dialogs_are_refused(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_dialog(raw, "bad")


def test_a_failing_dialog_says_what_went_wrong(
    make_simulator: Callable[[str], Simulator],
) -> None:
    dialog = parse_dialog(
        {
            "turns": [
                {"say": "open cramp relief", "session": "open"},
                {
                    "say": "my calf is cramping",
                    "intent": "DoctorIntent",
                    "slots": {"muscle": "foot"},
                    "expect": ["bananas"],
                    "session": "closed",
                },
            ]
        },
        "wrong",
    )
    failure = run_dialog(dialog, make_simulator)
    assert failure is not None
    assert failure.index == 2
    report = str(failure)
    assert "intent: expected DoctorIntent, got CrampReliefIntent" in report
    assert "slot muscle: expected 'foot', got 'calf'" in report
    assert "reply lacks 'bananas'" in report
    assert "session: expected closed, it is open" in report
