"""Whether Alexa can reach an endpoint's host: a public DNS name, not this machine, an IP address
or a name that only resolves on a private network."""

from __future__ import annotations

import ipaddress
from typing import Final
from urllib.parse import urlsplit

# The path the skill's server answers Alexa on (skill.endpoint's blueprint).
SERVED_PATH: Final = "/alexa"
# Names that never resolve on the public internet: RFC 6761/6762/8375 special-use names and the
# suffixes home and office networks commonly use for themselves.
PRIVATE_SUFFIXES: Final = (
    "localhost",
    "local",
    "localdomain",
    "home.arpa",
    "home",
    "lan",
    "internal",
    "intranet",
    "corp",
    "private",
    "test",
    "invalid",
)


def host_problem(host: str) -> str | None:
    """Why Alexa could not call `host` (a URL's host name), or None when it is a public name."""
    name = host.rstrip(".").lower()
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return (
            "is an IP address: Alexa checks the certificate against a host name, and "
            "certification wants a public DNS name"
        )
    labels = name.split(".")
    if labels[-1] == "localhost":
        return "is this machine: Alexa calls the skill from the internet"
    if len(labels) < 2:
        return "is not a public DNS name (it has no domain)"
    for suffix in PRIVATE_SUFFIXES:
        if name == suffix or name.endswith(f".{suffix}"):
            return f"is a private name (.{suffix}) that does not resolve on the internet"
    return None


def path_warning(uri: str) -> str | None:
    """A warning when `uri` does not end at the path the server answers on, else None. (Only a
    warning: a reverse proxy may map another public path onto it.)"""
    path = urlsplit(uri).path
    if path == SERVED_PATH:
        return None
    shown = path or "/"
    return (
        f"the server answers Alexa at {SERVED_PATH}, but this endpoint's path is {shown!r}: "
        f"unless a proxy maps it to {SERVED_PATH}, every request will get 404"
    )
