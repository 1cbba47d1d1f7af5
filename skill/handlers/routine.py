"""Guided stretches: one step per response, moved through by voice, its place kept for later.

Routines are content (responses/<locale>/routines.toml); the position is `state.routine`, which
the state interceptor has already checked against that content. Every step is spoken through
`SkillHandler.say` with a plain `Reply("step", ...)`, so the built-in RepeatHandler says the step
again, hold and all, without knowing anything about routines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.handlers.base import IntentHandler, SkillHandler, locale_of, state_of, vocabulary_of
from skill.resume import clear_position, recent_position, save_position
from skill.speech import ParamValue, Reply
from skill.state import Offer, RoutinePosition

# The routine a bare "guide me through a stretch" (or yes to the offer after relief) starts.
DEFAULT_ROUTINE: Final = "cramp_relief"


def _routines(handler: SkillHandler, handler_input: HandlerInput) -> Mapping[str, Any]:
    content = handler.services.renderer.content(locale_of(handler_input))
    routines: Mapping[str, Any] = content["routines"]
    return routines


def routine_for_muscle(routines: Mapping[str, Any], muscle: str | None) -> str | None:
    """The routine whose `muscles` list names `muscle` (a MUSCLE slot id), if any."""
    for name, routine in routines.items():
        if muscle is not None and muscle in routine.get("muscles", ()):
            return name
    return None


def speak_step(
    handler: SkillHandler,
    handler_input: HandlerInput,
    position: RoutinePosition,
    lead: str | None = None,
) -> Response:
    """Say one step (preceded by `lead`, if any) and make it the current, unpaused position."""
    state = state_of(handler_input)
    state.routine = RoutinePosition(position.routine, position.step)
    params: dict[str, ParamValue] = {"routine": position.routine, "step": position.step}
    response = handler.say(
        handler_input, Reply("step", params if lead is None else {**params, "lead": lead})
    )
    # "Repeat" says the step and its hold again, without the "going back" said in front of it.
    state.last = Reply("step", params)
    return response


def start_routine(
    handler: SkillHandler, handler_input: HandlerInput, routine: str | None
) -> Response:
    """Step one of `routine`, named with its length; an unknown or missing one is the default."""
    chosen = routine if routine in _routines(handler, handler_input) else None
    position = RoutinePosition(chosen or DEFAULT_ROUTINE, 0)
    return speak_step(handler, handler_input, position, lead="start")


def _current_or_saved(handler: SkillHandler, handler_input: HandlerInput) -> RoutinePosition | None:
    position = state_of(handler_input).routine
    if position is not None:
        return position
    return recent_position(
        handler_input, vocabulary_of(handler_input).routine_lengths, handler.services.clock()
    )


def continue_saved(handler: SkillHandler, handler_input: HandlerInput) -> Response:
    """Pick up where the person left off: in this session, or saved from a recent one."""
    position = _current_or_saved(handler, handler_input)
    if position is None:
        return no_routine(handler, handler_input)
    return speak_step(handler, handler_input, position, lead="resume")


def next_step(
    handler: SkillHandler, handler_input: HandlerInput, lead: str | None = None
) -> Response:
    """The step after the current one, or the closing line after the last."""
    position = state_of(handler_input).routine
    if position is None:
        return no_routine(handler, handler_input)
    if position.step + 1 >= vocabulary_of(handler_input).routine_lengths[position.routine]:
        return finish(handler, handler_input)
    return speak_step(handler, handler_input, replace(position, step=position.step + 1), lead)


def finish(handler: SkillHandler, handler_input: HandlerInput) -> Response:
    """Done: nothing left to pick up later, one short line, and the session ends."""
    clear_position(handler_input)
    state_of(handler_input).routine = None
    return handler.say(handler_input, Reply("routine_done"), end=True)


def no_routine(handler: SkillHandler, handler_input: HandlerInput) -> Response:
    """A routine word with no routine going: offer one rather than fail."""
    return handler.say(handler_input, Reply("no_routine"), offer=Offer.STRETCH)


def routine_help(handler: SkillHandler, handler_input: HandlerInput) -> Response:
    """Help inside a routine: the words that move through it. Called by the HelpHandler."""
    position = state_of(handler_input).routine
    if position is None:
        return handler.say(handler_input, Reply("help"))
    return handler.say(handler_input, Reply("routine_help", {"routine": position.routine}))


def stop_routine(handler: SkillHandler, handler_input: HandlerInput) -> Response:
    """Stop, cancel or no inside a routine: save the place, say where it stopped, end.

    A paused position is already saved (by the pause, or it came from the store at launch), so
    saving it again would only stretch the time it may be picked up in; a plain goodbye does.
    """
    position = state_of(handler_input).routine
    if position is None or position.paused:
        return handler.say(handler_input, Reply("goodbye"), end=True)
    save_position(handler_input, position, handler.services.clock())
    return handler.say(handler_input, Reply("routine_stop", {"step": position.step}), end=True)


def save_on_session_end(handler: SkillHandler, handler_input: HandlerInput) -> None:
    """The session ended mid-routine (silence, an error): keep the place for the next launch."""
    position = state_of(handler_input).routine
    if position is not None and not position.paused:
        save_position(handler_input, position, handler.services.clock())


def launch_offer(handler: SkillHandler, handler_input: HandlerInput) -> Response | None:
    """On launch, with a recently saved place: relief first, then the offer to continue.

    None when there is nothing recent to pick up (or the store cannot be read): the plain launch.
    The saved place becomes the session's paused position, so "continue" or "yes" needs no
    second read and cannot miss the window by a second.
    """
    position = recent_position(
        handler_input, vocabulary_of(handler_input).routine_lengths, handler.services.clock()
    )
    if position is None:
        return None
    state_of(handler_input).routine = position
    return handler.say(
        handler_input,
        Reply("launch_resume", {"routine": position.routine, "step": position.step}),
        offer=Offer.CONTINUE,
    )


class GuidedStretchHandler(IntentHandler):
    """ "Guide me through a stretch": the named routine, the one for a named muscle, or relief."""

    intent = "GuidedStretchIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        routine = self.slot_id(handler_input, "routine", "ROUTINE")
        if routine is None:
            muscle = self.slot_id(handler_input, "muscle", "MUSCLE")
            routine = routine_for_muscle(_routines(self, handler_input), muscle)
        return start_routine(self, handler_input, routine)


class _NavigationHandler(IntentHandler):
    """A routine word. With no routine going, "next" or "continue" right after the offer of a
    stretch means yes to it; anything else gets the offer."""

    def handle(self, handler_input: HandlerInput) -> Response:
        state = state_of(handler_input)
        if state.routine is not None:
            return self.navigate(handler_input, state.routine)
        if state.offer is Offer.STRETCH:
            return start_routine(self, handler_input, None)
        return no_routine(self, handler_input)

    def navigate(self, handler_input: HandlerInput, position: RoutinePosition) -> Response:
        raise NotImplementedError


class NextHandler(_NavigationHandler):
    intent = "AMAZON.NextIntent"

    def navigate(self, handler_input: HandlerInput, position: RoutinePosition) -> Response:
        return next_step(self, handler_input)


class SkipStepHandler(_NavigationHandler):
    intent = "SkipStepIntent"

    def navigate(self, handler_input: HandlerInput, position: RoutinePosition) -> Response:
        return next_step(self, handler_input, lead="skip")


class PreviousHandler(_NavigationHandler):
    """Back one step; at the first, say so and give the first again."""

    intent = "AMAZON.PreviousIntent"

    def navigate(self, handler_input: HandlerInput, position: RoutinePosition) -> Response:
        if position.step == 0:
            return speak_step(self, handler_input, position, lead="first")
        return speak_step(self, handler_input, replace(position, step=position.step - 1), "back")


class StartOverHandler(_NavigationHandler):
    intent = "AMAZON.StartOverIntent"

    def navigate(self, handler_input: HandlerInput, position: RoutinePosition) -> Response:
        return speak_step(self, handler_input, replace(position, step=0), lead="over")


class PauseHandler(_NavigationHandler):
    """Pause: the place is saved now, since the session may well time out before "continue"."""

    intent = "AMAZON.PauseIntent"

    def navigate(self, handler_input: HandlerInput, position: RoutinePosition) -> Response:
        if not position.paused:
            save_position(handler_input, position, self.services.clock())
            state_of(handler_input).routine = replace(position, paused=True)
        return self.say(handler_input, Reply("routine_paused", {"step": position.step}))


class ResumeHandler(_NavigationHandler):
    """ "Continue": the current step again or, in a new session, the recently saved place."""

    intent = "AMAZON.ResumeIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        position = _current_or_saved(self, handler_input)
        if position is not None:
            return speak_step(self, handler_input, position, lead="resume")
        if state_of(handler_input).offer is Offer.STRETCH:
            return start_routine(self, handler_input, None)
        return no_routine(self, handler_input)


class StepsLeftHandler(_NavigationHandler):
    intent = "StepsLeftIntent"

    def navigate(self, handler_input: HandlerInput, position: RoutinePosition) -> Response:
        return self.say(
            handler_input,
            Reply("steps_left", {"routine": position.routine, "step": position.step}),
        )
