"""HTTP client of INDAH v2's metadata API, as far as its public clients document it.

Paths (``ckanext.satudata.indah.url`` + …), each answering
``{"result": [{"id", "status", "reviews", "rejection_note", …}]}``:

- ``POST /sdi/v2/metadata-statistik/kegiatan`` and ``PUT …/kegiatan/{id}``: an MS-Keg body;
- ``GET …/kegiatan/{id}``: where it stands (status, BPS's reviews);
- ``POST``/``PUT /sdi/v2/metadata-statistik/variabel[/{id}]`` and ``…/indikator[/{id}]``:
  an MS-Var or MS-Ind body naming its ``ms_keg_id``.

The token is read from the environment variable ``SATUDATA_INDAH_TOKEN`` at
each call, sent only in the ``Authorization`` header, and never logged or
stored: messages kept for people carry INDAH's answer, never the request.
"""
from __future__ import annotations

import logging
import os
from typing import Any

import requests

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)

TOKEN_ENV = "SATUDATA_INDAH_TOKEN"
BASE = "/sdi/v2/metadata-statistik"
#: Statuses worth another try: INDAH busy or down, or the request timed out.
RETRYABLE = {408, 425, 429, 500, 502, 503, 504}
MESSAGE_MAX = 500


class IndahError(Exception):
    """INDAH refused or could not be reached. ``retryable``: worth trying again later;
    ``status``: the HTTP status (None when there was no answer)."""

    def __init__(self, message: str, retryable: bool, status: int | None = None):
        super().__init__(message)
        self.message, self.retryable, self.status = message, retryable, status


def url() -> str:
    return (tk.config.get("ckanext.satudata.indah.url") or "").rstrip("/")


def configured() -> bool:
    return bool(url())


def _headers() -> dict[str, str]:
    headers = {"Accept": "application/json", "Content-Type": "application/json",
               "User-Agent": "ckanext-satudata"}
    token = os.environ.get(TOKEN_ENV, "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:MESSAGE_MAX].strip()
    if isinstance(body, dict):
        for key in ("message", "error", "detail", "errors"):
            if body.get(key):
                value = body[key]
                return (value if isinstance(value, str) else str(value))[:MESSAGE_MAX]
    return str(body)[:MESSAGE_MAX]


def _first(body: Any) -> dict:
    result = body.get("result") if isinstance(body, dict) else None
    if isinstance(result, list) and result and isinstance(result[0], dict):
        return result[0]
    if isinstance(result, dict):
        return result
    return body if isinstance(body, dict) else {}


def call(method: str, path: str, body: dict | None = None) -> dict:
    """One request; the record INDAH answers with, or IndahError."""
    timeout = tk.config.get("ckanext.satudata.indah.timeout")
    try:
        response = requests.request(method, url() + BASE + path, json=body, headers=_headers(),
                                    timeout=float(timeout), allow_redirects=False)
    except requests.Timeout:
        raise IndahError(tk._("INDAH did not answer within {seconds} seconds").format(
            seconds=timeout), retryable=True) from None
    except requests.RequestException as e:
        # The exception's text names the URL, never the headers: no token in it.
        log.warning("INDAH unreachable: %s %s: %s", method, path, type(e).__name__)
        raise IndahError(tk._("INDAH cannot be reached ({reason})").format(
            reason=type(e).__name__), retryable=True) from None
    if response.status_code >= 400:
        raise IndahError(tk._("INDAH answered {status}: {message}").format(
            status=response.status_code, message=_message(response)),
            retryable=response.status_code in RETRYABLE, status=response.status_code)
    try:
        return _first(response.json())
    except ValueError:
        raise IndahError(tk._("INDAH answered with something that is not JSON"),
                         retryable=True, status=response.status_code) from None


def send(kind: str, body: dict, indah_id: Any = None) -> dict:
    """Create (no INDAH_ID) or update a record of KIND (kegiatan, variabel, indikator)."""
    if indah_id in (None, ""):
        return call("POST", f"/{kind}", body)
    return call("PUT", f"/{kind}/{indah_id}", body)


def fetch(indah_id: Any) -> dict:
    return call("GET", f"/kegiatan/{indah_id}")
