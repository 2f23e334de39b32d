"""Outgoing HTTP fetches of URLs that users give: a resource's file, a remote Table Schema.

A URL a producer types can name any server the portal's machines reach: the
portal's own Solr, Redis or PostgreSQL, an admin page on the intranet, the
cloud's metadata service at 169.254.169.254. Every fetch of such a URL goes
through ``fetch``, which

- accepts ``http`` and ``https`` only;
- resolves the host once and refuses it when any of its addresses is
  loopback, private, link-local, multicast, reserved, unspecified or
  otherwise not global (IPv4 and IPv6, including IPv4 addresses embedded in
  IPv6: mapped, 6to4, Teredo, NAT64), unless the host is named in
  ``ckanext.satudata.fetch_allowed_hosts``;
- connects to the very address it checked, so a second DNS answer (DNS
  rebinding) cannot swap in an internal one;
- follows redirects itself, checking every hop the same way, at most
  ``ckanext.satudata.fetch_max_redirects`` of them;
- streams the body and stops past ``ckanext.satudata.fetch_max_bytes`` and at
  the ``ckanext.satudata.fetch_timeout`` deadline (name lookup to last byte).

A failure raises ``FetchError``, which names the reason (``type``) and never
carries any part of a response body: errors end up in validation reports and
forms that the producer, an attacker perhaps, reads.
"""
from __future__ import annotations

import dataclasses
import http.client
import io
import ipaddress
import socket
import ssl
import threading
import time
from typing import Any, BinaryIO, Callable
from urllib.parse import urljoin, urlsplit

import ckan.plugins.toolkit as tk
from requests.utils import requote_uri

SCHEMES = {"http": 80, "https": 443}
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
CONNECT_TIMEOUT = 10.0
USER_AGENT = "ckanext-satudata (+https://github.com/ckan/ckan)"

# IPv6 prefixes that carry an IPv4 address the packet ends up at.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class FetchError(Exception):
    """A fetch that was refused or failed; ``reason`` says why, never the body.

    Reasons: ``scheme`` (not http/https), ``refused`` (an address inside the
    portal's network), ``too-large``, ``timeout``, ``status`` (HTTP status
    other than 2xx), ``redirects`` (too many), ``unreachable`` (no such host,
    connection or TLS failure).
    """

    def __init__(self, reason: str, url: str, **details: Any):
        super().__init__(f"{reason}: {url}")
        self.reason = reason
        self.url = url
        self.details = details

    @property
    def type(self) -> str:
        return "fetch-" + self.reason

    def as_error(self, target: str = "file") -> dict[str, Any]:
        """The error as stored in a validation row: type, details and an English message."""
        error = {"type": self.type, "target": target, "host": self.host, **self.details}
        what, _fix = explain(error, translate=_untranslated)
        return dict(error, message=[what])

    def message(self, target: str = "file") -> str:
        """What went wrong and what to do, in the user's language."""
        what, fix = explain({"type": self.type, "target": target, "host": self.host,
                             **self.details})
        return f"{what} {fix}"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def _untranslated(text: str) -> str:
    return text


def messages(translate: Callable[[str], str] | None = None) -> dict[str, tuple[str, str]]:
    """(what is wrong, how to fix it) of every fetch error type (English msgids)."""
    _ = translate or tk._
    return {
        "fetch-scheme": (_("The link to {target} is not an http or https address."),
                         _("Give an http(s) link, or upload the file instead.")),
        "fetch-refused": (_("The link to {target} points to an address inside the portal's "
                            "own network ({host}); the portal does not fetch such addresses."),
                          _("Give a link to a public server, or upload the file instead.")),
        "fetch-too-large": (_("The file behind the link to {target} is larger than the "
                              "portal fetches ({limit} bytes)."),
                            _("Upload the file instead, or ask the portal's administrator.")),
        "fetch-timeout": (_("The server behind the link to {target} did not deliver it in "
                            "time ({seconds} seconds)."),
                          _("Try again later, or upload the file instead.")),
        "fetch-status": (_("The server behind the link to {target} answered with HTTP status "
                           "{status}."),
                         _("Check that the link opens in a browser without logging in.")),
        "fetch-redirects": (_("The link to {target} redirects too many times."),
                            _("Give the final address of the file.")),
        "fetch-unreachable": (_("The server behind the link to {target} could not be reached "
                                "({host})."),
                              _("Check the link, or upload the file instead.")),
    }


def _targets(translate: Callable[[str], str]) -> dict[str, str]:
    _ = translate
    return {"file": _("the resource's file"), "schema": _("the resource's Table Schema")}


def explain(error: dict[str, Any], translate: Callable[[str], str] | None = None
            ) -> tuple[str, str]:
    """(what, fix) of a fetch error dict (``as_error``), in the user's language."""
    translate = translate or tk._
    what, fix = messages(translate)[error["type"]]
    details = {k: v for k, v in error.items() if isinstance(v, (str, int, float))}
    details["target"] = _targets(translate).get(error.get("target") or "file", "")
    safe = _Missing(details)
    return what.format_map(safe), fix.format_map(safe)


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return ""


# ---------------------------------------------------------------- address policy

def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found = []
    if ip.ipv4_mapped:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour:
        found.append(ip.sixtofour)
    if ip.teredo:
        found.extend(ip.teredo)
    if any(ip in net for net in _NAT64):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def _internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def refused_address(address: str) -> bool:
    """Whether an IP address (text, as DNS answers it) is one the portal must not fetch from."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:a.b.c.d is a.b.c.d on the wire
    candidates = [ip] + (_embedded_ipv4(ip) if ip.version == 6 else [])
    return any(_internal(candidate) for candidate in candidates)


def allowed_hosts() -> set[str]:
    value = tk.config.get("ckanext.satudata.fetch_allowed_hosts") or []
    if isinstance(value, str):
        value = value.split()
    return {_normal_host(h) for h in value if h}


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def resolve(host: str, port: int, deadline: "_Deadline", url: str) -> list[str]:
    """The addresses of HOST, looked up once (in a thread, so the deadline holds)."""
    answer: dict[str, Any] = {}

    def lookup() -> None:
        try:
            answer["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as problem:
            answer["error"] = problem

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(deadline.left(url))
    if worker.is_alive():
        raise deadline.expired(url)
    if "error" in answer or not answer.get("infos"):
        raise FetchError("unreachable", url)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in answer["infos"]:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


def vetted_addresses(url: str, deadline: "_Deadline") -> tuple[str, int, list[str]]:
    """(host, port, addresses to connect to) of URL, or FetchError when it may not be fetched."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise FetchError("scheme", url)
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError:
        raise FetchError("scheme", url)
    host = _normal_host(parts.hostname)
    addresses = resolve(host, port, deadline, url)
    if host not in allowed_hosts() and any(refused_address(a) for a in addresses):
        raise FetchError("refused", url)
    return host, port, addresses


# ---------------------------------------------------------------- connections

class _HTTPConnection(http.client.HTTPConnection):
    """A connection to ADDRESS (vetted) that speaks to the server as HOST."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=_tls_context())
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        # Certificate and hostname are checked against HOST, not the address.
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def _tls_context() -> ssl.SSLContext:
    try:
        import certifi
        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - certifi comes with requests
        return ssl.create_default_context()


@dataclasses.dataclass
class Fetched:
    url: str          # after redirects
    status: int
    content_type: str
    size: int


def settings() -> dict[str, Any]:
    c = tk.config
    return {"max_bytes": int(c.get("ckanext.satudata.fetch_max_bytes")),
            "timeout": float(c.get("ckanext.satudata.fetch_timeout")),
            "max_redirects": int(c.get("ckanext.satudata.fetch_max_redirects"))}


def fetch(url: str, out: BinaryIO, *, max_bytes: int | None = None,
          timeout: float | None = None) -> Fetched:
    """Write the body of URL (following redirects) to OUT; FetchError when refused or failed.

    MAX_BYTES and TIMEOUT (seconds, the whole fetch) default to the portal's
    options; a caller may only lower them.
    """
    config = settings()
    max_bytes = min(max_bytes or config["max_bytes"], config["max_bytes"])
    timeout = min(timeout or config["timeout"], config["timeout"])
    deadline = _Deadline(timeout)
    current = url
    for _hop in range(config["max_redirects"] + 1):
        result = _request(current, out, max_bytes, deadline)
        if isinstance(result, Fetched):
            return result
        current = result  # the next hop, checked from scratch by _request
    raise FetchError("redirects", url)


def fetch_bytes(url: str, *, max_bytes: int | None = None, timeout: float | None = None) -> bytes:
    buffer = io.BytesIO()
    fetch(url, buffer, max_bytes=max_bytes, timeout=timeout)
    return buffer.getvalue()


class _Deadline:
    """The end of a whole fetch (every hop): seconds left, or the timeout error."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self, url: str) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise self.expired(url)
        return left

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def expired(self, url: str) -> FetchError:
        return FetchError("timeout", url, seconds=int(round(self.seconds)))


def _request(url: str, out: BinaryIO, max_bytes: int, deadline: _Deadline) -> Fetched | str:
    """One hop: the Fetched result, or the URL a redirect points to."""
    host, port, addresses = vetted_addresses(url, deadline)
    parts = urlsplit(url)
    path = requote_uri(parts.path or "/") + (f"?{requote_uri(parts.query)}" if parts.query else "")
    connection_class = _HTTPSConnection if parts.scheme.lower() == "https" else _HTTPConnection
    connection = None
    for address in addresses:
        candidate = connection_class(host, port, address,
                                     min(CONNECT_TIMEOUT, deadline.left(url)))
        try:
            candidate.connect()
            connection = candidate
            break
        except (OSError, ssl.SSLError) as problem:
            candidate.close()
            if isinstance(problem, TimeoutError) or deadline.passed():
                last = deadline.expired(url)
            else:
                last = FetchError("unreachable", url)
    if connection is None:
        raise last
    # Kept: http.client drops connection.sock when the server says "close",
    # while the response still reads from it.
    sock = connection.sock
    cut = threading.Event()

    def cut_off() -> None:
        # A server that drips bytes never trips a per-read timeout; the
        # deadline ends the whole exchange.
        cut.set()
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass

    watchdog = threading.Timer(deadline.left(url), cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        sock.settimeout(deadline.left(url))
        connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        if response.status in REDIRECTS and response.getheader("Location"):
            return urljoin(url, response.getheader("Location").strip())
        if not 200 <= response.status < 300:
            raise FetchError("status", url, status=response.status)
        declared = response.getheader("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > max_bytes:
            raise FetchError("too-large", url, limit=max_bytes)
        size = 0
        while True:
            sock.settimeout(deadline.left(url))
            chunk = response.read1(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError("too-large", url, limit=max_bytes)
            out.write(chunk)
        if cut.is_set():
            raise deadline.expired(url)
        return Fetched(url=url, status=response.status,
                       content_type=response.getheader("Content-Type") or "", size=size)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError):
        if cut.is_set() or deadline.passed():
            raise deadline.expired(url)
        raise FetchError("unreachable", url)
    finally:
        watchdog.cancel()
        connection.close()
        sock.close()


class NoFetchSession:
    """Given to Frictionless as its HTTP session: it must never fetch anything itself.

    The portal fetches what a user names (through ``fetch``) and hands
    Frictionless the local file; a URL that still reaches Frictionless (a
    schema, dialect or checklist descriptor given as a link) ends here.
    """

    headers: dict[str, str] = {}
    proxies: dict[str, str] = {}

    def request(self, method: str, url: str, *args: Any, **kwargs: Any):
        raise FetchError("refused", str(url))

    def get(self, url: str, *args: Any, **kwargs: Any):
        return self.request("GET", url)

    def post(self, url: str, *args: Any, **kwargs: Any):
        return self.request("POST", url)

    def head(self, url: str, *args: Any, **kwargs: Any):
        return self.request("HEAD", url)
