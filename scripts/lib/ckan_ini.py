"""Write the local portal's ckan.ini: config/satudata.ini plus this environment.

usage: python ckan_ini.py OUT SHARED_INI KEY=VALUE...

The portal's options live in SHARED_INI (also used by test.ini); OUT gets only
what differs by environment, given as KEY=VALUE, and its own secrets. Secrets
already in OUT are kept, so sessions and API tokens survive a restart.
"""
from __future__ import annotations

import configparser
import os
import secrets
import sys

SECRET_KEYS = ("SECRET_KEY", "api_token.jwt.encode.secret", "api_token.jwt.decode.secret")

LOGGING = """
[loggers]
keys = root, ckan, ckanext, werkzeug

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[logger_werkzeug]
level = WARNING
handlers = console
qualname = werkzeug
propagate = 0

[logger_ckan]
level = INFO
handlers = console
qualname = ckan
propagate = 0

[logger_ckanext]
level = INFO
handlers = console
qualname = ckanext
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""


def old_secrets(path: str) -> dict[str, str]:
    if not os.path.exists(path):
        return {}
    parser = configparser.RawConfigParser()
    parser.optionxform = str
    parser.read(path)
    if not parser.has_section("app:main"):
        return {}
    return {k: parser.get("app:main", k) for k in SECRET_KEYS if parser.has_option("app:main", k)}


def new_secrets() -> dict[str, str]:
    jwt = "string:" + secrets.token_urlsafe(32)
    return {"SECRET_KEY": secrets.token_urlsafe(32),
            "api_token.jwt.encode.secret": jwt, "api_token.jwt.decode.secret": jwt}


def render(shared: str, settings: dict[str, str], kept: dict[str, str]) -> str:
    keys = new_secrets()
    keys.update(kept)
    lines = ["# Written by scripts/satudata on every start: edit config/satudata.ini",
             "# (the portal's options) instead; this file holds what differs here.",
             "[DEFAULT]", "debug = false", "", "[app:main]",
             f"use = config:{os.path.abspath(shared)}"]
    lines += [f"{k} = {v}" for k, v in settings.items()]
    lines += ["# Secrets of this portal, kept across restarts."]
    lines += [f"{k} = {keys[k]}" for k in SECRET_KEYS]
    return "\n".join(lines) + "\n" + LOGGING


def main(argv: list[str]) -> int:
    out, shared, *pairs = argv
    settings = dict(pair.split("=", 1) for pair in pairs)
    text = render(shared, settings, old_secrets(out))
    tmp = out + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
