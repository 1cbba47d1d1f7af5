"""Guided stretches: one step per answer, moved through by voice, the place kept for later.

Routines are content (responses/<locale>/routines.toml); the position is `state.routine`, which
the turn interceptor has already checked against that content. Every step is a plain
`Reply("step", ...)` kept as the last reply, so the built-in RepeatHandler says the step again,
hold and all, without knowing anything about routines.
"""

from __future__ import annotations

from dataclasses import replace

from skill.content import Lead
from skill.conversation.reminder_time import say_time
from skill.conversation.state import Offer, RoutinePosition
from skill.conversation.turn import Answer, Turn
from skill.speech import ParamValue, Reply


class Routines:
    """The routine flow. Each method answers one thing a person says about a routine; the
    moves (next, skip, back, start over, pause, steps left) with no routine going answer yes to
    a pending offer of a stretch, or else offer one."""

    def start(self, turn: Turn, routine: str | None = None) -> Answer:
        """Step one of `routine`, named with its length; an unknown or missing one is the
        default routine."""
        chosen = routine if routine in turn.content.routines else None
        position = RoutinePosition(chosen or turn.content.default_routine, 0)
        return self._step(turn, position, lead=Lead.START)

    def for_muscle(self, turn: Turn, muscle: str | None) -> Answer:
        """The routine for a MUSCLE slot id (the default one if none is for it)."""
        return self.start(turn, turn.content.routine_for_muscle(muscle))

    def next(self, turn: Turn) -> Answer:
        return self._forward(turn, lead=None)

    def skip(self, turn: Turn) -> Answer:
        return self._forward(turn, lead=Lead.SKIP)

    def back(self, turn: Turn) -> Answer:
        """Back one step; at the first, say so and give the first again."""
        position = turn.state.routine
        if position is None:
            return self._not_going(turn)
        if position.step == 0:
            return self._step(turn, position, lead=Lead.FIRST)
        return self._step(turn, replace(position, step=position.step - 1), lead=Lead.BACK)

    def start_over(self, turn: Turn) -> Answer:
        position = turn.state.routine
        if position is None:
            return self._not_going(turn)
        return self._step(turn, replace(position, step=0), lead=Lead.OVER)

    def pause(self, turn: Turn) -> Answer:
        """Pause: the place is saved now, since the session may well time out before
        "continue"."""
        position = turn.state.routine
        if position is None:
            return self._not_going(turn)
        if not position.paused:
            turn.places.save(position)
            turn.state.routine = replace(position, paused=True)
        return Answer(Reply("routine_paused", {"step": position.step}))

    def resume(self, turn: Turn) -> Answer:
        """ "Continue": the current step again or, in a new session, the recently saved place."""
        position = turn.state.routine or turn.places.recent(turn.vocabulary.routine_lengths)
        if position is not None:
            return self._step(turn, position, lead=Lead.RESUME)
        return self._not_going(turn)

    def steps_left(self, turn: Turn) -> Answer:
        """How far along: this step of how many, and how many after it."""
        position = turn.state.routine
        if position is None:
            return self._not_going(turn)
        return Answer(Reply("steps_left", {"routine": position.routine, "step": position.step}))

    def go_on(self, turn: Turn) -> Answer | None:
        """ "Okay" with no question pending: after a step, the next; after a pause, the paused
        step; None with no routine going."""
        position = turn.state.routine
        if position is None:
            return None
        return self.resume(turn) if position.paused else self._forward(turn, lead=None)

    def help(self, turn: Turn) -> Answer:
        """Help inside a routine: the words that move through it; outside, the general help."""
        position = turn.state.routine
        if position is None:
            return Answer(Reply("help"))
        return Answer(Reply("routine_help", {"routine": position.routine}))

    def stop(self, turn: Turn) -> Answer:
        """Stop, cancel or no: save the place, say where it stopped, end.

        A paused position is already saved (by the pause, or it came from the store at launch),
        so saving it again would only stretch the time it may be picked up in; a plain goodbye
        does.
        """
        position = turn.state.routine
        if position is None or position.paused:
            return Answer(Reply("goodbye"), end=True)
        turn.places.save(position)
        return Answer(Reply("routine_stop", {"step": position.step}), end=True)

    def session_ended(self, turn: Turn) -> None:
        """The session ended mid-routine (silence, an error): keep the place for the next
        launch."""
        position = turn.state.routine
        if position is not None and not position.paused:
            turn.places.save(position)

    def launch_offer(self, turn: Turn) -> Answer | None:
        """On launch, with a recently saved place: relief first, then the offer to continue.

        None when there is nothing recent to pick up (or the store cannot be read): the plain
        launch. The saved place becomes the session's paused position, so "continue" or "yes"
        needs no second read and cannot miss the window by a second.
        """
        position = turn.places.recent(turn.vocabulary.routine_lengths)
        if position is None:
            return None
        turn.state.routine = position
        return Answer(
            Reply("launch_resume", {"routine": position.routine, "step": position.step}),
            offer=Offer.CONTINUE,
        )

    def _not_going(self, turn: Turn) -> Answer:
        # Right after the offer of a stretch, a routine word means yes to it.
        if turn.state.offer is Offer.STRETCH:
            return self.start(turn)
        return Answer(Reply("no_routine"), offer=Offer.STRETCH)

    def _forward(self, turn: Turn, lead: Lead | None) -> Answer:
        """The step after the current one, or the closing line after the last."""
        position = turn.state.routine
        if position is None:
            return self._not_going(turn)
        if position.step + 1 >= turn.vocabulary.routine_lengths[position.routine]:
            return self._finish(turn, position.routine)
        return self._step(turn, replace(position, step=position.step + 1), lead)

    def _finish(self, turn: Turn, routine: str) -> Answer:
        """Done: nothing left to pick up later, one short line, and the session ends; after a
        routine that offers the nightly reminder, the one question instead, if none is set."""
        turn.places.clear()
        turn.state.routine = None
        if turn.content.routines[routine].offers_reminder and not turn.reminder.has_one():
            time = turn.content.reminders.offered_time()
            turn.state.reminder_time = time
            said = say_time(turn.content, time)
            return Answer(Reply("routine_done_reminder", {"time": said}), offer=Offer.REMINDER)
        return Answer(Reply("routine_done"), end=True)

    def _step(self, turn: Turn, position: RoutinePosition, lead: Lead | None) -> Answer:
        """One step (preceded by `lead`, if any), made the current, unpaused position."""
        turn.state.routine = RoutinePosition(position.routine, position.step)
        params: dict[str, ParamValue] = {"routine": position.routine, "step": position.step}
        reply = Reply("step", params if lead is None else {**params, "lead": lead})
        # "Repeat" says the step and its hold again, without the "going back" said in front of it.
        return Answer(reply, repeat=Reply("step", params))
