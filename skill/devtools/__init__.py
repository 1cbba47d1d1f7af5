"""Development tools above the app: the local CA that signs requests as Alexa would (devca.py),
kept in a folder that `serve --dev` and `simulate --url` share (ca_folder.py; which folder,
ca_dir.py), and how an app is told to trust it (trust.py); throwaway database servers (devdb.py),
the two-host run (two_hosts.py), and every reply the skill can give with its word budget
(voice_catalog.py)."""
