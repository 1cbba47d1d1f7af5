"""Talk to the skill offline: typed text resolved the way Alexa would, sent as real requests.

resolver.py turns text into a Resolution; session.py's Simulator sends it as a signed request and
reads the reply; device.py builds the envelopes; transport.py carries them; trust.py holds the
development CA settings shared with `serve --dev`; dialogs.py checks conversations kept as data.
"""

from skill.simulator.resolver import Resolution, Resolver, resolve, resolver_for
from skill.simulator.session import Simulator, Turn

__all__ = ["Resolution", "Resolver", "Simulator", "Turn", "resolve", "resolver_for"]
