"""The interaction models: one typed model per locale, one reader of their JSON, and the
developer console's checks.

model.py holds the typed, read-only model; reader.py reads the JSON (leniently with findings, or
strictly); checks.py judges a reading as the console would before a build.
"""

from skill.interaction_model.checks import (
    REQUIRED_BUILTINS,
    check_invocation_name,
    check_model,
    check_reading,
)
from skill.interaction_model.model import (
    IntentDef,
    InteractionModel,
    SlotType,
    SlotValue,
    normalise_phrase,
    slot_id,
)
from skill.interaction_model.reader import (
    Finding,
    ModelReading,
    load_model,
    model_path,
    parse_model,
    read_model,
    read_model_file,
)

__all__ = [
    "REQUIRED_BUILTINS",
    "Finding",
    "IntentDef",
    "InteractionModel",
    "ModelReading",
    "SlotType",
    "SlotValue",
    "check_invocation_name",
    "check_model",
    "check_reading",
    "load_model",
    "model_path",
    "normalise_phrase",
    "parse_model",
    "read_model",
    "read_model_file",
    "slot_id",
]
