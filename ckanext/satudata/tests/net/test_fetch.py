"""net.fetch: the address policy, and real fetches from a local HTTP server."""
from __future__ import annotations

import io
import socket
import time

import pytest

from ckanext.satudata.net import fetch
from ckanext.satudata.tests.net.conftest import drip, redirect, send, silent

ALLOW_LOCAL = pytest.mark.ckan_config("ckanext.satudata.fetch_allowed_hosts", "127.0.0.1")


# ---------------------------------------------------------------- address policy

@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.255.255.254", "::1",
    "10.0.0.1", "10.255.255.255",
    "172.16.0.1", "172.31.255.255",
    "192.168.0.1", "192.168.255.255",
    "169.254.169.254", "169.254.0.1",          # link-local, the cloud metadata service
    "0.0.0.0", "::",                            # unspecified
    "100.64.0.1",                               # carrier-grade NAT (shared)
    "224.0.0.1", "239.255.255.250", "ff02::1",  # multicast
    "240.0.0.1", "255.255.255.255",             # reserved, broadcast
    "192.0.2.1", "198.18.0.1",                  # documentation, benchmarking
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # IPv4-mapped
    "2002:7f00:1::1",                           # 6to4 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",                       # NAT64 of 169.254.169.254
    "fc00::1", "fd12:3456::1",                  # unique local (fc00::/7)
    "fe80::1", "fe80::1%eth0", "febf::1",       # link-local (fe80::/10)
    "not an address",
])
def test_internal_addresses_are_refused(address):
    assert fetch.refused_address(address)


@pytest.mark.parametrize("address", [
    "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "192.169.0.1", "11.0.0.1",
    "2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8",
])
def test_public_addresses_are_allowed(address):
    assert not fetch.refused_address(address)


@pytest.mark.parametrize("url", [
    "http://localhost:{port}/data.csv",           # a name that resolves to 127.0.0.1
    "http://LOCALHOST.:{port}/data.csv",
    "http://127.0.0.1:{port}/data.csv",
    "http://127.1:{port}/data.csv",               # short, decimal, hex forms of 127.0.0.1
    "http://2130706433:{port}/data.csv",
    "http://0x7f000001:{port}/data.csv",
    "http://0:{port}/data.csv",
    "http://[::1]:{port}/data.csv",
    "http://[::ffff:127.0.0.1]:{port}/data.csv",
    "http://user:pw@127.0.0.1:{port}/data.csv",
])
def test_urls_naming_this_machine_are_refused_before_connecting(server, url):
    server.routes["/data.csv"] = lambda h: send(h, b"a,b\n1,2\n")
    with pytest.raises(fetch.FetchError) as refused:
        fetch.fetch_bytes(url.format(port=server.port))
    assert refused.value.type == "fetch-refused"
    assert server.seen == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/data.csv", "gopher://127.0.0.1:6379/_INFO",
    "dict://127.0.0.1:6379/info", "http:///data.csv", "data.csv", "", "http://example.org:99999/",
])
def test_only_http_and_https(url):
    with pytest.raises(fetch.FetchError) as refused:
        fetch.fetch_bytes(url)
    assert refused.value.type == "fetch-scheme"


# ---------------------------------------------------------------- real fetches

@ALLOW_LOCAL
def test_an_allowed_host_is_fetched(server):
    server.routes["/data.csv"] = lambda h: send(h, b"tahun,jumlah\n2024,5\n", content_type="text/csv")
    out = io.BytesIO()
    got = fetch.fetch(server.url("/data.csv?x=1"), out)
    assert out.getvalue() == b"tahun,jumlah\n2024,5\n"
    assert (got.status, got.content_type, got.size) == (200, "text/csv", 20)
    assert server.seen == [("/data.csv?x=1", f"127.0.0.1:{server.port}")]


@pytest.mark.ckan_config("ckanext.satudata.fetch_allowed_hosts", "files.pemda.test")
def test_the_connection_goes_to_the_address_that_was_checked(server, monkeypatch):
    """One lookup per hop; a second answer (DNS rebinding) is never used."""
    lookups = []
    real = socket.getaddrinfo

    def rebinding(host, *args, **kwargs):
        if host == "files.pemda.test":
            lookups.append(host)
            if len(lookups) > 1:
                raise AssertionError("looked up twice")
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.routes["/data.csv"] = lambda h: send(h, b"ok")
    assert fetch.fetch_bytes(server.url("/data.csv", host="files.pemda.test")) == b"ok"
    assert lookups == ["files.pemda.test"]
    assert server.seen == [("/data.csv", f"files.pemda.test:{server.port}")]


@ALLOW_LOCAL
def test_redirects_are_followed_within_allowed_hosts(server):
    server.routes["/lama.csv"] = redirect("/baru.csv", 301)
    server.routes["/baru.csv"] = lambda h: send(h, b"baru")
    assert fetch.fetch_bytes(server.url("/lama.csv")) == b"baru"


@ALLOW_LOCAL
@pytest.mark.parametrize("target", [
    "http://localhost:{port}/rahasia", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:{port}/rahasia", "file:///etc/passwd",
])
def test_a_redirect_from_an_allowed_host_to_a_refused_one_is_refused(server, target):
    server.routes["/data.csv"] = redirect(target.format(port=server.port))
    server.routes["/rahasia"] = lambda h: send(h, b"RAHASIA")
    with pytest.raises(fetch.FetchError) as refused:
        fetch.fetch_bytes(server.url("/data.csv"))
    assert refused.value.type in ("fetch-refused", "fetch-scheme")
    assert [path for path, _ in server.seen] == ["/data.csv"]


@ALLOW_LOCAL
@pytest.mark.ckan_config("ckanext.satudata.fetch_max_redirects", "3")
def test_redirects_are_capped(server):
    server.routes["/loop"] = redirect("/loop")
    with pytest.raises(fetch.FetchError) as failed:
        fetch.fetch_bytes(server.url("/loop"))
    assert failed.value.type == "fetch-redirects"
    assert len(server.seen) == 4  # the first request and three redirects


@ALLOW_LOCAL
@pytest.mark.parametrize("length", [True, False], ids=["content-length", "streamed"])
def test_size_cap(server, length):
    server.routes["/besar.csv"] = lambda h: send(h, b"x" * 100_001, length=length)
    server.routes["/pas.csv"] = lambda h: send(h, b"x" * 100_000, length=length)
    assert len(fetch.fetch_bytes(server.url("/pas.csv"), max_bytes=100_000)) == 100_000
    with pytest.raises(fetch.FetchError) as failed:
        fetch.fetch_bytes(server.url("/besar.csv"), max_bytes=100_000)
    assert (failed.value.type, failed.value.details) == ("fetch-too-large", {"limit": 100_000})


@ALLOW_LOCAL
@pytest.mark.ckan_config("ckanext.satudata.fetch_max_bytes", "1000")
def test_size_cap_option_and_callers_cannot_raise_it(server):
    server.routes["/besar.csv"] = lambda h: send(h, b"x" * 1001, length=False)
    with pytest.raises(fetch.FetchError) as failed:
        fetch.fetch_bytes(server.url("/besar.csv"), max_bytes=10**9)
    assert failed.value.type == "fetch-too-large"


@ALLOW_LOCAL
@pytest.mark.parametrize("route", [drip(10), silent(10)], ids=["dripping", "silent"])
def test_time_cap_covers_the_whole_fetch(server, route):
    server.routes["/lambat.csv"] = route
    started = time.monotonic()
    with pytest.raises(fetch.FetchError) as failed:
        fetch.fetch_bytes(server.url("/lambat.csv"), timeout=1)
    took = time.monotonic() - started
    assert failed.value.type == "fetch-timeout"
    assert 0.9 < took < 3


@ALLOW_LOCAL
@pytest.mark.ckan_config("ckanext.satudata.fetch_timeout", "1")
def test_time_cap_option(server):
    server.routes["/lambat.csv"] = drip(10)
    started = time.monotonic()
    with pytest.raises(fetch.FetchError):
        fetch.fetch_bytes(server.url("/lambat.csv"), timeout=600)
    assert time.monotonic() - started < 3


@ALLOW_LOCAL
def test_http_errors_name_the_status_never_the_body(server):
    server.routes["/rahasia"] = lambda h: send(h, b"RAHASIA-SOLR-BODY", status=500)
    with pytest.raises(fetch.FetchError) as failed:
        fetch.fetch_bytes(server.url("/rahasia"))
    error = failed.value
    assert (error.type, error.details) == ("fetch-status", {"status": 500})
    stored = error.as_error("schema")
    assert "RAHASIA" not in repr(stored) + str(error) + error.message("schema")
    assert stored["message"] == ["The server behind the link to the resource's Table Schema "
                                 "answered with HTTP status 500."]


def test_a_host_that_does_not_resolve_is_unreachable():
    with pytest.raises(fetch.FetchError) as failed:
        fetch.fetch_bytes("http://no-such-host.invalid/data.csv", timeout=10)
    assert failed.value.type == "fetch-unreachable"


@ALLOW_LOCAL
def test_a_closed_port_is_unreachable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(fetch.FetchError) as failed:
        fetch.fetch_bytes(f"http://127.0.0.1:{port}/data.csv")
    assert failed.value.type == "fetch-unreachable"


def test_the_stored_message_is_english_and_names_the_host():
    error = fetch.FetchError("refused", "http://127.0.0.1:8983/solr/ckan/select")
    stored = error.as_error("file")
    assert stored["type"] == "fetch-refused"
    assert stored["host"] == "127.0.0.1"
    assert stored["message"] == [
        "The link to the resource's file points to an address inside the portal's own "
        "network (127.0.0.1); the portal does not fetch such addresses."]


def test_frictionless_session_refuses_everything():
    with pytest.raises(fetch.FetchError):
        fetch.NoFetchSession().get("https://example.org/schema.json")
