"""The browser simulator: GET /simulator (the page) and POST /simulator/say (one turn).

`cramp-relief serve --dev` composes it with the skill's app (register); the app itself never
imports this package. Only an app configured for development (DEV_SIMULATOR, which
skill.devtools.trust.dev_server_config sets) takes it. The server
keeps no conversation: each POST carries the Simulator state the previous answer returned, and the
turn runs in-process through this same app's /alexa endpoint, signed with the development CA that
`serve --dev` trusts, so the page exercises the real verification path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request

from skill.apl.directive import TOUCH_INTENTS
from skill.devtools.ca_dir import default_dev_ca_dir
from skill.devtools.ca_folder import load_or_create_dev_ca
from skill.locales import available_locales
from skill.simulator.alexa_api_link import reminder_lines
from skill.simulator.device import DeviceProfile, default_device, device_profiles
from skill.simulator.session import Simulator
from skill.simulator.transcript import describe_request

MAX_TEXT_CHARS: Final = 500
_CA_KEY: Final = "cramp_relief_dev_ca"
_LOOPBACK_NAMES: Final = ("127.0.0.1", "localhost", "::1")
# The state carries session attributes, which the skill keeps small; this bounds a hostile one.
MAX_BODY_BYTES: Final = 256 * 1024
# No inline script or style, and nothing fetched from anywhere but this server.
_CSP: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

blueprint = Blueprint(
    "simulator",
    __name__,
    url_prefix="/simulator",
    template_folder="templates",
    static_folder="static",
)


class BadInput(Exception):
    """A request the endpoint refuses with HTTP 400; the message is shown on the page."""


def register(app: Flask) -> Flask:
    """Serve the simulator from `app` too; RuntimeError unless `app` runs with DEV_SIMULATOR."""
    if not app.config.get("DEV_SIMULATOR"):
        raise RuntimeError("the simulator page is only for apps started with `serve --dev`")
    # The development CA is read from its folder once, here, not on every turn.
    directory = app.config.get("DEV_CA_DIR")
    app.extensions[_CA_KEY] = load_or_create_dev_ca(
        Path(directory) if directory else default_dev_ca_dir()
    )
    app.register_blueprint(blueprint)
    return app


@blueprint.before_request
def _check_host() -> tuple[Response, int] | None:
    # A page on another site can point a name it controls at 127.0.0.1 (DNS rebinding) and so
    # reach this server from the browser: only the names this server was started for are served.
    allowed = current_app.config.get("DEV_ALLOWED_HOSTS") or _LOOPBACK_NAMES
    if _host_name(request.host) not in allowed:
        return jsonify(error="this development page answers only to its own host name"), 400
    return None


def _host_name(host: str) -> str:
    """The name in a Host header, without its port ("[::1]:8080" -> "::1")."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0].lower()
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


@blueprint.after_request
def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = _CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/")
def page() -> str:
    locales = available_locales()
    default = current_app.config["DEFAULT_LOCALE"]
    return render_template(
        "simulator/index.html",
        locales=locales,
        default_locale=default if default in locales else locales[0],
        max_text=MAX_TEXT_CHARS,
        devices=[(profile.name, profile.label) for profile in device_profiles().values()],
        default_device=default_device().name,
    )


@blueprint.post("/say")
def say() -> tuple[Response, int]:
    try:
        body = _read_body()
        text, locale, state, device = _read_say(body)
        touch = _read_touch(body)
        simulator = _simulator(locale, state, device)
    except BadInput as error:
        return jsonify(error=str(error)), 400
    turn = simulator.touch(touch) if touch is not None else simulator.say(text)
    payload = turn.to_json()
    payload["heard"] = describe_request(turn)
    # The page's reminders panel: what the Alexa API stand-in holds for this user now.
    reminders = reminder_lines(simulator.alexa_api, simulator.device.api_access_token)
    return jsonify(turn=payload, state=simulator.to_json(), reminders=reminders), 200


def _read_body() -> dict[str, Any]:
    # JSON only: a cross-site form cannot send application/json without a preflight we never
    # answer, so another page in the browser cannot drive the simulator.
    if request.mimetype != "application/json":
        raise BadInput("send JSON (Content-Type: application/json)")
    if request.content_length is None or request.content_length > MAX_BODY_BYTES:
        raise BadInput(f"send a body of at most {MAX_BODY_BYTES} bytes, with a Content-Length")
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("send a JSON object: {text, locale, device, state}")
    return body


def _read_say(body: dict[str, Any]) -> tuple[str, str, object, DeviceProfile]:
    text, locale, state = body.get("text"), body.get("locale"), body.get("state")
    profiles = device_profiles()
    device = body.get("device", default_device().name)
    if not isinstance(device, str) or device not in profiles:
        raise BadInput(f"device must be one of {', '.join(profiles)}")
    if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
        raise BadInput(f"text must be a string of at most {MAX_TEXT_CHARS} characters")
    if locale not in available_locales():
        raise BadInput(f"locale must be one of {', '.join(available_locales())}")
    return text, locale, state, profiles[device]


def _read_touch(body: dict[str, Any]) -> str | None:
    """The button pressed on the screen instead of something said, if any (`touch`)."""
    touch = body.get("touch")
    if touch is None:
        return None
    if touch not in TOUCH_INTENTS:
        raise BadInput(f"touch must be one of {', '.join(TOUCH_INTENTS)}")
    return str(touch)


def _simulator(locale: str, state: object, device: DeviceProfile) -> Simulator:
    """The conversation `state` carries on, on its own device; a new one on `device`."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        simulator = Simulator.for_app(app, locale=locale, state=state, ca=app.extensions[_CA_KEY])
    except ValueError as error:
        raise BadInput(f"state: {error}; start a new conversation") from error
    if simulator.locale != locale:
        raise BadInput("state belongs to another locale; start a new conversation")
    if state is None:
        simulator.device.use(device)
    return simulator
