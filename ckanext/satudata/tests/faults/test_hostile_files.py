"""The hostile-file corpus against the portal as `make run` starts it (gunicorn and
`ckan satudata worker` on the test services): each file is uploaded by a producer
through the API, checked by the real worker, and its dataset, resource, report
and conversion pages are opened. Every file gives a clear outcome (a status and
a translated message, never a 500) within bounded memory: the job's peak RSS
(measured in the work horse, stored in the report) under 500 MB, the web
workers' peak RSS under 300 MB. Times are printed for the closing note; speed
is measured in bench/, not asserted here.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import requests

from ckanext.satudata.tests.browser.conftest import LiveServer
from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.faults import hostile
from ckanext.satudata.tests.validation.conftest import VARIABLES
from ckanext.satudata.tests.workflow.conftest import Portal

WORKER_MB, WEB_MB = 500, 300
VARIABLES_JSON = __import__("json").dumps(VARIABLES)
OUTCOMES: list[dict] = []


@pytest.fixture(scope="module")
def world():
    reset_world()
    portal = Portal()
    dataset = portal.dataset()
    return {"portal": portal, "dataset": dataset}


@pytest.fixture(scope="module")
def server(tmp_path_factory, world):
    live = LiveServer(tmp_path_factory.mktemp("live")).start()
    world["token"] = live.token(world["portal"].produsen["name"])
    yield live
    web_peak = _web_peak_rss_mb(live)
    live.stop()
    print(f"\nweb workers' peak RSS: {web_peak:.1f} MB")
    if OUTCOMES:
        print("\nfile | status | errors | pages | job RSS MB | check s")
        for o in OUTCOMES:
            print(f"{o['name']} | {o['status']} | {o['errors']} | {o['pages']} | {o['rss']} | "
                  f"{o['seconds']}")


def _upload(server, world, path: Path, fmt: str, with_schema: bool = True) -> dict:
    data = {"package_id": world["dataset"]["id"], "name": path.name, "url": path.name,
            "format": fmt}
    if with_schema:
        data["variabel"] = VARIABLES_JSON
    with path.open("rb") as stream:
        answer = requests.post(f"{server.url}/api/3/action/resource_create",
                               headers={"Authorization": world["token"]}, data=data,
                               files={"upload": (path.name, stream)}, timeout=300)
    assert answer.status_code == 200, answer.text[:2000]
    return answer.json()["result"]


def _validation(server, world, resource, seconds=300) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        got = requests.get(f"{server.url}/api/3/action/resource_validation_show",
                           params={"resource_id": resource["id"]},
                           headers={"Authorization": world["token"]}, timeout=60).json()
        if got.get("success") and got["result"]["status"] in ("success", "failure", "error"):
            return got["result"]
        time.sleep(1)
    raise AssertionError(f"{resource['name']} still not checked after {seconds} s")


def _pages(server, world, resource) -> dict[str, tuple[int, str]]:
    dataset = world["dataset"]
    base = f"/dataset/{dataset['name']}/resource/{resource['id']}"
    urls = {"dataset": f"/dataset/{dataset['name']}", "resource": base,
            "report": f"{base}/validation",
            **{fmt: f"{base}/convert/{fmt}" for fmt in ("csv", "xlsx", "json")}}
    got = {}
    for name, url in urls.items():
        answer = requests.get(server.url + url, headers={"Authorization": world["token"]},
                              timeout=120)
        body = answer.text if "html" in answer.headers.get("Content-Type", "") else ""
        got[name] = (answer.status_code, body)
    return got


def _web_peak_rss_mb(server) -> float:
    """Peak RSS (VmHWM) of gunicorn's worker processes, the ones that parse requests."""
    master = int((server.state / "run" / "web.pid").read_text())
    peaks = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) == master:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    assert peaks, "no gunicorn worker found"
    return max(peaks)


# file maker, format, schema?, status, first error type, message shown on the pages (Indonesian)
CORPUS = [
    ("shared_strings_bomb", "XLSX", True, "failure", "archive-too-large",
     "Berkas Excel ini terurai menjadi data yang jauh lebih besar"),
    ("truncated_workbook", "XLSX", True, "failure", "broken-archive",
     "Berkas Excel ini rusak atau tidak lengkap"),
    ("garbage_zip", "XLSX", True, "failure", "broken-archive",
     "Berkas Excel ini rusak atau tidak lengkap"),
    ("null_bytes_csv", "CSV", True, "failure", "not-tabular", "bukan tabel"),
    ("html_csv", "CSV", True, "failure", "not-tabular", "bukan tabel"),
    ("header_only_csv", "CSV", True, "failure", "no-data-rows", None),
    ("repeated_byte_csv", "CSV", True, "failure", "line-too-long",
     "lebih panjang dari 1048576 karakter"),
    ("utf16_csv", "CSV", True, "success", None, None),
    ("title_rows_csv", "CSV", True, "failure", "missing-label", None),
    ("indonesian_csv", "CSV", True, "success", None, None),
    ("workbook", "XLSX", True, "success", None, None),
]


@pytest.mark.parametrize("make, fmt, schema, status, first_error, message", CORPUS,
                         ids=[c[0] for c in CORPUS])
def test_each_hostile_file_has_a_clear_outcome(world, server, tmp_path, make, fmt, schema,
                                               status, first_error, message):
    suffix = ".xlsx" if fmt == "XLSX" else ".csv"
    path = getattr(hostile, make)(tmp_path / f"{make}{suffix}")
    started = time.monotonic()
    resource = _upload(server, world, path, fmt, schema)
    validation = _validation(server, world, resource)
    seconds = round(time.monotonic() - started, 1)
    report = validation["report"] or {}
    errors = [e["type"] for t in report.get("tasks", []) for e in t.get("errors", [])]
    assert (validation["status"], errors[:1]) == (status, [first_error] if first_error else [])
    rss = report["satudata"]["peak_rss_mb"]
    assert rss < WORKER_MB

    pages = _pages(server, world, resource)
    codes = {name: code for name, (code, _) in pages.items()}
    OUTCOMES.append({"name": path.name, "status": validation["status"], "errors": errors[:2],
                     "pages": codes, "rss": rss, "seconds": seconds})
    assert all(code in (200, 422, 503) for code in codes.values()), codes
    assert {codes["dataset"], codes["resource"], codes["report"]} == {200}
    if message:
        # Where a reader refuses the file, the resource page and every conversion say why.
        assert message in pages["resource"][1] or status == "failure" and \
            message in pages["report"][1]
        for fmt_ in ("csv", "xlsx", "json"):
            if codes[fmt_] == 422:
                assert message in pages[fmt_][1], pages[fmt_][1][-3000:]
    if make == "title_rows_csv":
        assert "Judul kolom ada di baris 4?" in pages["report"][1]
    if make == "indonesian_csv":
        assert "1.234,5 (terdeteksi dari berkas)" in pages["report"][1]
    assert _web_peak_rss_mb(server) < WEB_MB


def test_a_60_mb_csv_is_checked_and_converted_once_within_bounds(world, server, tmp_path):
    path = hostile.big_csv(tmp_path / "besar.csv")
    assert path.stat().st_size > 60 * 1024 * 1024
    started = time.monotonic()
    resource = _upload(server, world, path, "CSV", with_schema=False)
    uploaded = time.monotonic() - started
    validation = _validation(server, world, resource, seconds=900)
    checked = time.monotonic() - started
    assert validation["status"] == "success"
    assert validation["report"]["tasks"][0]["stats"]["rows"] == 1_100_000
    assert validation["report"]["satudata"]["peak_rss_mb"] < WORKER_MB

    base = f"{server.url}/dataset/{world['dataset']['name']}/resource/{resource['id']}/convert"
    headers = {"Authorization": world["token"]}
    # XLSX cannot hold 1.1 M rows: refused with the reason, at once.
    answer = requests.get(f"{base}/xlsx", headers=headers, timeout=120)
    assert answer.status_code in (422, 503)
    # CSV and JSON: built once by the worker; a request meanwhile is asked to come back.
    deadline, built = time.monotonic() + 900, {}
    while time.monotonic() < deadline and len(built) < 3:
        for fmt in ("csv", "json", "xlsx"):
            if fmt in built:
                continue
            answer = requests.get(f"{base}/{fmt}", headers=headers, timeout=120, stream=True)
            if answer.status_code != 503:
                built[fmt] = (answer.status_code, answer.headers.get("Content-Length"),
                              answer.text[:0] if answer.status_code == 200 else answer.text)
            answer.close()
        time.sleep(2)
    converted = time.monotonic() - started
    assert {fmt: got[0] for fmt, got in built.items()} == {"csv": 200, "json": 200, "xlsx": 422}
    assert "lebih banyak baris daripada yang dapat dimuat berkas XLSX (1048576)" in built["xlsx"][2]
    # Served from the cache: a second request answers at once.
    again = time.monotonic()
    answer = requests.get(f"{base}/csv", headers=headers, timeout=120, stream=True)
    first_chunk = next(answer.iter_content(65536))
    cached = time.monotonic() - again
    answer.close()
    assert first_chunk.startswith(b"tahun,kecamatan,jumlah,luas_km2,keterangan")
    assert _web_peak_rss_mb(server) < WEB_MB
    OUTCOMES.append({"name": "besar.csv (63 MB, 1.1 M rows)", "status": validation["status"],
                     "errors": [], "pages": {"upload s": round(uploaded, 1),
                                             "converted s": round(converted, 1),
                                             "cached csv first byte s": round(cached, 2)},
                     "rss": validation["report"]["satudata"]["peak_rss_mb"],
                     "seconds": round(checked, 1)})
