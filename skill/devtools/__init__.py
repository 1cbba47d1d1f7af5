"""Development tools above the app: the local CA that signs requests as Alexa would (devca.py)
and how the simulator and `serve --dev` agree on it and tell an app to trust it (trust.py)."""
