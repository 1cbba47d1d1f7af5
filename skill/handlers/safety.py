"""Warning signs: the safety routes answer before any other handler (docs/facts.md, voice.md)."""

from __future__ import annotations

from typing import Final, NamedTuple

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_intent_name, is_request_type
from ask_sdk_model.response import Response

from skill.conversation.safety import (
    Assessment,
    Heard,
    Route,
    assess,
    normalise,
    relief_answer,
    warning_answer,
)
from skill.handlers.base import SkillHandler, raw_slot_value

# The slot type whose values are warning signs, in whatever slot the model gives it.
SIGN_TYPE: Final = "RED_FLAG"
# Where this request's assessment is kept, so the handler that takes the request does not
# make the one its can_handle made again.
_ASSESSMENT_KEY: Final = "safety_assessment"
# Intents whose words say a cramp is happening now.
CRAMP_INTENTS = frozenset({"CrampReliefIntent", "StillCrampingIntent"})


class TypedValue(NamedTuple):
    """A slot's words read as one value of the slot's type."""

    type: str
    id: str


def intent_name(handler_input: HandlerInput) -> str | None:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    name = getattr(intent, "name", None)
    return name if isinstance(name, str) else None


def slot_names(handler_input: HandlerInput) -> list[str]:
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None)
    return [name for name in slots if isinstance(name, str)] if isinstance(slots, dict) else []


class SafetyHandler(SkillHandler):
    """The safety routes' assessment of what a request said, for the handlers that need it."""

    def heard(self, handler_input: HandlerInput) -> Heard:
        names = slot_names(handler_input)
        spoken = {name: raw_slot_value(handler_input, name) for name in names}
        values = {name: self.typed_value(handler_input, name) for name in names}
        muscle = self.slot_id(handler_input, "muscle", "MUSCLE") if "muscle" in names else None
        return Heard(
            signs=frozenset(
                found.id for found in values.values() if found and found.type == SIGN_TYPE
            ),
            muscles=frozenset({muscle} if muscle else ()),
            words=normalise(" ".join(words or "" for _, words in spoken.values())),
            unmatched=normalise(
                " ".join(words or "" for name, (_, words) in spoken.items() if not values[name])
            ),
            cramp=intent_name(handler_input) in CRAMP_INTENTS,
        )

    def typed_value(self, handler_input: HandlerInput, slot: str) -> TypedValue | None:
        """The type and value id of the words in `slot`, by the type the model gives the slot
        (Alexa's match, or words that are one of a value's names, never its id spelled out);
        None when they are no value of it, or the slot is free (SearchQuery) or built-in."""
        model = self.services.slots.model(self.turn(handler_input).locale)
        slot_type = model.slot_type_of(intent_name(handler_input) or "", slot)
        if slot_type is None:
            return None
        found = self.slot_id(handler_input, slot, slot_type.name)
        return None if found is None else TypedValue(slot_type.name, found)

    def assessment(self, handler_input: HandlerInput) -> Assessment:
        """What this request's words say about safety (assessed once per request)."""
        kept = handler_input.attributes_manager.request_attributes
        found = kept.get(_ASSESSMENT_KEY)
        if not isinstance(found, Assessment):
            found = assess(self.turn(handler_input).content.safety, self.heard(handler_input))
            kept[_ASSESSMENT_KEY] = found
        return found

    def muscle(self, handler_input: HandlerInput) -> str | None:
        """The muscle the person named: the muscle slot's value, or else the one muscle said
        among the words of the intent's free slots ("{query} cramping" with "uh my calf is")."""
        found = self.slot_id(handler_input, "muscle", "MUSCLE")
        if found is not None:
            return found
        names = slot_names(handler_input)
        spoken = " ".join(raw_slot_value(handler_input, name)[1] or "" for name in names)
        mentioned = self.services.slots.mentioned(self.turn(handler_input).locale, "MUSCLE", spoken)
        # Two muscles named ("my foot and my calf") leave the general relief, which covers both.
        return next(iter(mentioned)) if len(mentioned) == 1 else None


class WarningSignHandler(SafetyHandler):
    """RedFlagIntent, and any intent whose words hold a warning sign.

    Registered first: a warning sign said inside a tip question or a stretch request still gets
    its route (a see-a-doctor one only from words the model could not place, so "tell me about
    medicines" stays a tip). A RedFlagIntent with no sign in it (cold feet, pain) gets relief.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not is_request_type("IntentRequest")(handler_input):
            return False
        if is_intent_name("RedFlagIntent")(handler_input):
            return True
        return self.assessment(handler_input).route <= Route.DOCTOR

    def handle(self, handler_input: HandlerInput) -> Response:
        turn, muscle = self.turn(handler_input), self.muscle(handler_input)
        answer = warning_answer(turn, self.assessment(handler_input), muscle)
        return self.answer(handler_input, answer or relief_answer(turn, muscle))
