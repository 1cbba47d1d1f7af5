"""Talk to the skill offline: typed text resolved the way Alexa would, sent as real requests.

resolver.py turns text into a Resolution (samples.py compiles the model's sample utterances,
builtin_phrases.py reads what Alexa itself understands from phrases/<language>.toml); session.py's
Simulator sends it as a signed request to the app or server it is handed and reads the reply into
a Turn (turn.py); device.py builds the envelopes; transport.py carries them; transcript.py writes
turns as the command line and the page show them; console.py is `simulate`'s prompt; web.py is the
page `serve --dev` adds; dialogs.py checks conversations kept as data.
"""
