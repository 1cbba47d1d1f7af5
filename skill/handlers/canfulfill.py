"""CanFulfillIntentRequest: name-free interaction asks whether we can take an utterance."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.canfulfill.can_fulfill_intent import CanFulfillIntent
from ask_sdk_model.canfulfill.can_fulfill_intent_values import CanFulfillIntentValues
from ask_sdk_model.canfulfill.can_fulfill_slot import CanFulfillSlot
from ask_sdk_model.canfulfill.can_fulfill_slot_values import CanFulfillSlotValues
from ask_sdk_model.canfulfill.can_understand_slot_values import CanUnderstandSlotValues
from ask_sdk_model.response import Response

from skill.handlers.base import SkillHandler

# Intents worth offering to Alexa for name-free requests; navigation and yes/no are not.
FULFILLABLE = frozenset(
    {
        "CrampReliefIntent",
        "StillCrampingIntent",
        "CauseIntent",
        "PreventionTipIntent",
        "DoctorIntent",
        "RedFlagIntent",
        "GuidedStretchIntent",
    }
)


class CanFulfillIntentHandler(SkillHandler):
    """YES for our intents when every slot given is a value we know, else NO; no side effects."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("CanFulfillIntentRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = getattr(handler_input.request_envelope.request, "intent", None)
        name = getattr(intent, "name", None)
        model = self.services.slots.model(self.turn(handler_input).locale)
        definition = model.intents.get(name) if isinstance(name, str) else None
        slots: dict[str, CanFulfillSlot] = {}
        verdict = "NO"
        if definition is not None and name in FULFILLABLE:
            verdict = "YES"
            for slot_name, slot in (getattr(intent, "slots", None) or {}).items():
                if not isinstance(slot_name, str) or getattr(slot, "value", None) is None:
                    continue
                slot_type = definition.slots.get(slot_name)
                known = slot_type is not None and (
                    self.slot_id(handler_input, slot_name, slot_type) is not None
                )
                answer = "YES" if known else "NO"
                slots[slot_name] = CanFulfillSlot(
                    can_understand=CanUnderstandSlotValues(answer),
                    can_fulfill=CanFulfillSlotValues(answer),
                )
                if not known:
                    verdict = "NO"
        handler_input.response_builder.set_can_fulfill_intent(
            CanFulfillIntent(can_fulfill=CanFulfillIntentValues(verdict), slots=slots or None)
        )
        return self.silent(handler_input)
