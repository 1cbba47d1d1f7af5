"""One turn of the conversation: what the turn interceptor works out before any handler runs.

The interceptor builds a `Turn` (the locale to answer in, the validated session state, that
locale's content and vocabulary, the user's saved places and reminder, and the request) and keeps
it in the request attributes; handlers and conversation services read it back with `turn_of`.
Services answer with an `Answer`, which the handler speaks and the turn records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.directive import Directive
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.ui.card import Card

from skill.content import LocaleContent
from skill.conversation.reminder_store import ReminderStore
from skill.conversation.resume import SavedPlaces
from skill.conversation.state import Offer, SessionState, Vocabulary
from skill.speech import Reply

# The one request attribute the skill uses; its value is always a Turn.
TURN_KEY: Final = "cramp_relief.turn"


@dataclass(frozen=True)
class Answer:
    """What to say back: a reply, the yes/no offer it ends with, whether the session ends, and
    what "repeat" says again if not the reply itself (a step without its "going back"); a card
    for the Alexa app and a directive to send with it; `silent` sends the directive alone (Alexa
    speaks for itself, as when it asks for a permission), keeping `reply` for "repeat"."""

    reply: Reply
    offer: Offer | None = None
    end: bool = False
    repeat: Reply | None = None
    card: Card | None = None
    directive: Directive | None = None
    silent: bool = False


@dataclass(frozen=True)
class Turn:
    """One request's context. Frozen means no field is rebound; two of the objects it holds
    change during the turn, on purpose:

    - `state` (SessionState) is mutable: handlers and services update it in place (the offer
      made, tips heard, the routine position) and the response interceptor writes it back as the
      session attributes. One object carries the turn's changes from handler to response.
    - `places` (SavedPlaces) reads and writes the user's saved place in the persistent store.

    `locale`, `content` and `vocabulary` are read-only for the whole turn (content and
    vocabulary are shared by every request of that locale and must never be changed).
    """

    locale: str
    state: SessionState
    content: LocaleContent
    vocabulary: Vocabulary
    places: SavedPlaces
    reminder: ReminderStore
    # The request itself, for services that call Alexa's APIs with its endpoint and token.
    request: RequestEnvelope

    def record(self, answer: Answer) -> None:
        """Keep what was said and offered, so the next turn can repeat it or take a yes."""
        self.state.offer = None if answer.end else answer.offer
        self.state.last = answer.repeat or answer.reply


def put_turn(handler_input: HandlerInput, turn: Turn) -> None:
    handler_input.attributes_manager.request_attributes[TURN_KEY] = turn


def find_turn(handler_input: HandlerInput) -> Turn | None:
    """The turn, or None if the turn interceptor has not run (an error before it, say)."""
    turn = handler_input.attributes_manager.request_attributes.get(TURN_KEY)
    return turn if isinstance(turn, Turn) else None


def turn_of(handler_input: HandlerInput) -> Turn:
    """The turn the interceptor built for this request."""
    turn = find_turn(handler_input)
    if turn is None:
        raise LookupError("the turn interceptor did not run")
    return turn
