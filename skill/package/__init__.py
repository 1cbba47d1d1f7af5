"""The ASK CLI skill package `cramp-relief export` writes, and Amazon's rules for it: the
manifest and the package folder (build.py), the checks the developer console would make
(manifest_checks.py), the public endpoint's rules (public_endpoint.py), the store icons
(icons.py) and the certification testing instructions (testing_instructions.py). Only the export
command imports it; the app never does."""
