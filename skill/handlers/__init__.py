"""Request handlers, one class per intent or request type, in the order they are tried."""

from __future__ import annotations

from skill.conversation.services import Services
from skill.handlers.base import SkillHandler
from skill.handlers.builtin import (
    CancelHandler,
    FallbackHandler,
    HelpHandler,
    NavigateHomeHandler,
    NoHandler,
    RepeatHandler,
    StopHandler,
    YesHandler,
)
from skill.handlers.canfulfill import CanFulfillIntentHandler
from skill.handlers.errors import CatchAllExceptionHandler
from skill.handlers.forget import ForgetMeHandler
from skill.handlers.info import CauseHandler, DoctorHandler, PreventionTipHandler
from skill.handlers.lifecycle import (
    ExceptionEncounteredHandler,
    OtherRequestHandler,
    SessionEndedHandler,
    UnknownIntentHandler,
)
from skill.handlers.relief import (
    CrampGoneHandler,
    CrampReliefHandler,
    HeatOrColdHandler,
    LaunchRequestHandler,
    StillCrampingHandler,
)
from skill.handlers.reminders import (
    CancelReminderHandler,
    ChangeReminderHandler,
    PermissionAnswerHandler,
    ReminderStatusHandler,
    SetReminderHandler,
)
from skill.handlers.routine import (
    GuidedStretchHandler,
    NextHandler,
    PauseHandler,
    PreviousHandler,
    ResumeHandler,
    SkipStepHandler,
    StartOverHandler,
    StepsLeftHandler,
)
from skill.handlers.safety import WarningSignHandler
from skill.handlers.touch import TouchHandler

# Order matters only where predicates overlap: the two catch-alls stay last.
REQUEST_HANDLERS: tuple[type[SkillHandler], ...] = (
    # First: a warning sign gets its safety route whatever intent carried it.
    WarningSignHandler,
    LaunchRequestHandler,
    CrampReliefHandler,
    StillCrampingHandler,
    HeatOrColdHandler,
    CrampGoneHandler,
    CauseHandler,
    PreventionTipHandler,
    DoctorHandler,
    GuidedStretchHandler,
    NextHandler,
    SkipStepHandler,
    PreviousHandler,
    StartOverHandler,
    PauseHandler,
    ResumeHandler,
    StepsLeftHandler,
    ForgetMeHandler,
    SetReminderHandler,
    ChangeReminderHandler,
    CancelReminderHandler,
    ReminderStatusHandler,
    PermissionAnswerHandler,
    HelpHandler,
    StopHandler,
    CancelHandler,
    NavigateHomeHandler,
    FallbackHandler,
    RepeatHandler,
    YesHandler,
    NoHandler,
    CanFulfillIntentHandler,
    # Before the catch-alls: a touch on a screen's button is handled as the intent it stands for.
    TouchHandler,
    SessionEndedHandler,
    ExceptionEncounteredHandler,
    UnknownIntentHandler,
    OtherRequestHandler,
)

__all__ = ["REQUEST_HANDLERS", "CatchAllExceptionHandler", "Services", "SkillHandler"]
