"""Dissemination at scale: search, the dataset page and harvesting, against vanilla CKAN.

Loads N published datasets (default 10,000), then measures in two processes
on the same database and Solr core, which take turns of --batch requests:

- satudata: test.ini (satudata, dcat, scheming with the SDI schemas, …);
- vanilla: CKAN with only ckanext-scheming and its default dataset schema
  (`ckanext.scheming:ckan_dataset.yaml`) and activity;

p50/p95 of typical package_search calls and of GET /dataset/<name>, with the
ratio satudata / vanilla; and the time for a harvester to page the whole
catalog via package_search (rows=100 and 1000, sort=id asc) and via the DCAT
catalog (/catalog.ttl?page=N): server time of each page of 100 and of the whole
catalog with the portal's profiles (euro_dcat_ap_3 satudata) against
ckanext-dcat's euro_dcat_ap_3 alone (?profiles=euro_dcat_ap_3), page by page in
the same process.

    scripts/satudata bench bench/dissemination.py --datasets 10000

It RESETS the test database named in test.ini (never point it at real data).
See bench/README.md for the bulk-load shortcut.
"""
from __future__ import annotations

import argparse
import configparser
import contextlib
import datetime
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VANILLA_INI = ROOT / ".satudata" / "bench-vanilla.ini"
SEARCHES = {
    "search q": {"q": "penduduk kecamatan", "rows": 20},
    "search facets": {"q": "*:*", "rows": 20,
                      "facet.field": json.dumps(["organization", "tags", "res_format", "license_id"])},
    "search fq org": {"fq": "organization:dinas-kesehatan", "rows": 20, "sort": "metadata_modified desc"},
    "search q+fq": {"q": "sekolah", "fq": "res_format:CSV", "rows": 20},
}
#: (title, sektor, satuan) — realistic regional topics; sektor values are checked
#: against codelists.yaml at load time.
TOPICS = [
    ("Jumlah Penduduk menurut Kecamatan dan Jenis Kelamin", "DEMOGRAFI_DAN_KEPENDUDUKAN", "Jiwa"),
    ("Angka Partisipasi Sekolah menurut Jenjang Pendidikan", "PENDIDIKAN_DAN_PELATIHAN", "Persen"),
    ("Jumlah Kasus Demam Berdarah Dengue per Puskesmas", "KESEHATAN", "Kasus"),
    ("Produksi Padi menurut Kecamatan", "PERTANIAN_DAN_PERIKANAN", "Ton"),
    ("Panjang Jalan menurut Kondisi", "TRANSPORTASI", "Kilometer"),
    ("Nilai Ekspor Komoditas Unggulan", "PERDAGANGAN_INTERNASIONAL_DAN_NERACA_PERDAGANGAN", "Orang"),
    ("Jumlah Rumah Tangga Penerima Bantuan Sosial", "PERLINDUNGAN_SOSIAL_DAN_KESEJAHTERAAN", "Rumah tangga"),
    ("Jumlah Usaha Mikro dan Kecil Binaan", "INDUSTRI_DAN_JASA", "Unit"),
]
OPDS = [("dinas-kesehatan", "Dinas Kesehatan"), ("dinas-pendidikan", "Dinas Pendidikan"),
        ("dinas-pertanian", "Dinas Pertanian"), ("dinas-perhubungan", "Dinas Perhubungan"),
        ("dinas-pariwisata", "Dinas Pariwisata"), ("dinas-sosial", "Dinas Sosial"),
        ("dinas-koperasi", "Dinas Koperasi dan Usaha Mikro"), ("bappeda", "Bappeda")]
KECAMATAN = ["Bangil", "Beji", "Gempol", "Pandaan", "Prigen", "Purwodadi", "Tutur", "Tosari",
             "Lumbang", "Pasrepan", "Kejayan", "Wonorejo", "Kraton", "Rembang", "Grati"]


def dataset_name(i: int) -> str:
    return f"bench-{i:05d}"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=40, help="requests per search query, per app and round")
    parser.add_argument("--pages", type=int, default=100, help="dataset pages requested per app and round")
    parser.add_argument("--batch", type=int, default=10,
                        help="requests of one kind an app makes before the other app's turn")
    parser.add_argument("--dcat-pages", type=int, default=0,
                        help="DCAT catalog pages to fetch (0: all); the total is extrapolated")
    parser.add_argument("--dcat-only", action="store_true",
                        help="measure the DCAT catalog alone (satudata app, both profiles)")
    parser.add_argument("--ckan-ini", default=str(ROOT / "test.ini"))
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--skip-load", action="store_true",
                        help="measure the datasets a previous run loaded")
    parser.add_argument("--rounds", type=int, default=2,
                        help="measurement rounds, each with a fresh process per app")
    parser.add_argument("--profile", metavar="DIR",
                        help="also write a cProfile of each request kind per app to DIR "
                             "(<app>-<request>.prof and .txt, top functions); timings then include "
                             "the profiler's overhead, so the ratios printed are not the bench's")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, [dataset_name(i) for i in range(args.datasets)], args)
        return

    if not args.skip_load:
        load(args)
    write_vanilla_ini(Path(args.ckan_ini))
    apps = {"satudata": args.ckan_ini, "vanilla": str(VANILLA_INI)}
    if args.dcat_only:
        apps, args.rounds = {"satudata": args.ckan_ini}, 1
    results: dict = {label: {} for label in apps}
    for round_ in range(args.rounds):
        started = time.perf_counter()
        with contextlib.ExitStack() as stack:
            served = {label: stack.enter_context(Served(label, ini, args)) for label, ini in apps.items()}
            if not args.dcat_only:
                interleave(served, results, args)
            if round_ == args.rounds - 1:  # long, one number per app: the last round only
                for label, app in served.items():
                    if not args.dcat_only:
                        results[label].update(app.ask(op="harvest"))
                    results[label].update(app.ask(op="dcat"))
        print(f"measured round {round_ + 1} of {args.rounds} in {time.perf_counter() - started:.0f} s", flush=True)
    if not args.dcat_only:
        report(results, args.datasets)
    if "dcat" in results["satudata"]:
        report_dcat(results["satudata"]["dcat"], args.datasets)


def interleave(served: dict, results: dict, args) -> None:
    """Each kind of request in turns of --batch per app, the app that starts
    alternating, so a slow moment of the machine (Solr, PostgreSQL, another
    process) falls on both apps alike instead of on one app's whole series."""
    kinds = [*SEARCHES, SEARCH_PAGE, DATASET_PAGE]
    turns = 0
    for first in range(0, max(args.repeat, args.pages), args.batch):
        for kind in kinds:
            total = args.pages if kind == DATASET_PAGE else args.repeat
            n = min(args.batch, total - first)
            if n <= 0:
                continue
            order = list(served.items())
            for label, app in (order if turns % 2 == 0 else order[::-1]):
                results[label].setdefault(kind, []).extend(app.ask(op="requests", kind=kind, first=first, n=n))
            turns += 1
    for label, app in served.items():
        results[label]["counts"] = app.ask(op="counts")


class Served:
    """One app in a process of its own (``--serve``), answering one JSON line per command."""

    def __init__(self, label: str, ini: str, args):
        self.label = label
        command = [sys.executable, __file__, "--serve", ini, "--datasets", str(args.datasets),
                   "--pages", str(args.pages), "--dcat-pages", str(args.dcat_pages)]
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command + (["--profile", args.profile] if args.profile else []),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.stderr, text=True)

    def __enter__(self):
        self.ask(op="ready")
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()
        self.stderr.close()

    def ask(self, **command):
        if command["op"] != "ready":
            self.process.stdin.write(json.dumps(command) + "\n")
            self.process.stdin.flush()
        for line in self.process.stdout:  # CKAN may print other lines
            if line.startswith(ANSWER):
                return json.loads(line[len(ANSWER):])
        self.stderr.seek(0)
        sys.exit(f"{self.label} measurement failed:\n{self.stderr.read()[-4000:]}")


# -- bulk load -------------------------------------------------------------------

def load(args) -> list[str]:
    with app_context(args.ckan_ini):
        return load_datasets(args.datasets)[0]


@contextlib.contextmanager
def app_context(ini: str):
    """CKAN's app on INI, inside a request context (actions, uploads, index)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        yield app


def real_dataset(portal, name: str, goal: str, org: dict | None = None) -> tuple[dict, str]:
    """A data sektoral the real way: package_create with every scheme field, an
    uploaded CSV with its MS-Var table schema, a synchronous validation run, and
    the sdi transitions to GOAL. Returns (dataset, resource id)."""
    from werkzeug.datastructures import FileStorage

    from ckan.tests import helpers

    from ckanext.satudata.tests import factories as sd
    from ckanext.satudata.tests.dcat.conftest import reach

    dataset = sd.create(sd.data_sektoral((org or portal.opd)["id"], name=name), portal.produsen["name"])
    path = ROOT / "ckanext/satudata/tests/fixtures/penduduk_valid.csv"
    with path.open("rb") as stream:
        helpers.call_action("resource_create", {"user": portal.produsen["name"]}, package_id=dataset["id"],
                            name="penduduk_valid.csv", url="penduduk_valid.csv", format="CSV",
                            upload=FileStorage(stream=stream, filename="penduduk_valid.csv"),
                            variabel=sd.VARIABLES)
    resource_id = helpers.call_action("package_show", {}, id=dataset["id"])["resources"][0]["id"]
    helpers.call_action("resource_validation_run", {"ignore_auth": True}, resource_id=resource_id,
                        **{"async": False})
    reach(portal, dataset, goal)
    return dataset, resource_id


def load_datasets(count: int) -> tuple[list[str], object]:
    """Reset the database and Solr, load COUNT published datasets (see bench/README.md).
    Returns their names and the Portal (its users and OPDs)."""
    import ckan.model as model
    from ckan.cli.db import _get_pending_plugins, _run_migrations
    from ckan.lib.search import clear_all, commit, index_for
    from ckan.tests import helpers

    from ckanext.satudata import codelists
    from ckanext.satudata.tests import factories as sd
    from ckanext.satudata.tests.workflow.conftest import Portal

    started = time.perf_counter()
    helpers.reset_db()
    for plugin in _get_pending_plugins():
        _run_migrations(plugin)
    clear_all()
    portal = Portal()
    orgs = [portal.opd, portal.opd_lain] + [sd.opd(name=n, title=t) for n, t in OPDS[2:]]
    sektors = codelists.allowed("sektor_kegiatan")
    frekuensi = sorted(codelists.allowed("frekuensi"))
    assert all(s in sektors for _, s, _ in TOPICS), "a TOPICS sektor is not in codelists.yaml"

    # One dataset through the real path: create, upload, validate, five transitions.
    template, resource_id = real_dataset(portal, "bench-template", "terpublikasi")
    print(f"template published in {time.perf_counter() - started:.1f} s", flush=True)

    rows = _template_rows(model, template["id"], resource_id)
    raw = helpers.call_action("package_show", {"ignore_auth": True, "validate": False, "use_cache": False},
                              id=template["id"])
    rnd = random.Random(6)
    index = index_for(model.Package)
    names = []
    now = datetime.datetime.utcnow()
    insert_s = index_s = 0.0
    for batch_start in range(0, count, 500):
        clones = []
        for i in range(batch_start, min(count, batch_start + 500)):
            title, sektor, satuan = TOPICS[i % len(TOPICS)]
            kecamatan = KECAMATAN[i % len(KECAMATAN)]
            first_year = 2016 + rnd.randrange(7)
            org = orgs[(i // len(TOPICS)) % len(orgs)]
            values = {
                "id": str(uuid.uuid4()), "name": dataset_name(i), "org": org,
                # vanilla scheming's page renders `url` (Source) unguarded: give every clone one
                "url": f"https://pasuruankab.go.id/sumber-data/bench-{i:05d}",
                "title": f"{title} di Kecamatan {kecamatan} {first_year}-{first_year + 2}",
                "notes": f"{title} di Kecamatan {kecamatan}, Kabupaten Pasuruan.",
                "modified": now - datetime.timedelta(minutes=i),
                "extras": {"sektor": sektor, "satuan": satuan,
                           "frekuensi": frekuensi[i % len(frekuensi)],
                           "tahun_data": json.dumps([first_year, first_year + 1, first_year + 2])},
                "resource_id": str(uuid.uuid4()),
            }
            clones.append(values)
            names.append(values["name"])
        t = time.perf_counter()
        _insert(model, rows, clones)
        insert_s += time.perf_counter() - t
        t = time.perf_counter()
        for values in clones:
            index.index_package(_clone_dict(raw, values), defer_commit=True)
        index_s += time.perf_counter() - t
        print(f"  {len(names)} datasets loaded", flush=True)
    commit()
    print(f"load: {count} published datasets in {time.perf_counter() - started:.0f} s "
          f"(rows {insert_s:.0f} s, Solr {index_s:.0f} s)", flush=True)
    return names, portal


def _template_rows(model, package_id: str, resource_id: str) -> dict:
    """Every row that belongs to the template dataset, by table."""
    import sqlalchemy as sa

    meta = sa.MetaData()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sa.exc.SAWarning)  # expression indexes: not needed here
        meta.reflect(bind=model.Session.connection())
    rows = {}
    for table in meta.sorted_tables:
        columns = table.c.keys()
        if table.name == "package":
            where = table.c.id == package_id
        elif table.name == "resource":
            where = table.c.id == resource_id
        elif table.name == "member":
            where = (table.c.table_name == "package") & (table.c.table_id == package_id)
        elif "package_id" in columns:
            where = table.c.package_id == package_id
        elif "resource_id" in columns:
            where = table.c.resource_id == resource_id
        else:
            continue
        if table.name in ("activity", "package_member", "tracking_summary", "satudata_notification") \
                or table.name.endswith("_revision"):
            continue
        found = [dict(r._mapping) for r in model.Session.execute(sa.select(table).where(where))]
        if found:
            rows[table] = found
    return rows


def _insert(model, rows: dict, clones: list[dict]) -> None:
    """The template's rows, once per clone, in one transaction (FK order)."""
    for table, template_rows in rows.items():
        columns = table.c.keys()
        out = []
        for values in clones:
            for row in template_rows:
                new = dict(row)
                if table.name == "package":
                    new.update(id=values["id"], name=values["name"], title=values["title"], url=values["url"],
                               notes=values["notes"], owner_org=values["org"]["id"],
                               metadata_created=values["modified"], metadata_modified=values["modified"])
                    out.append(new)
                    continue
                if "id" in columns and table.name != "resource":
                    new["id"] = str(uuid.uuid4())
                if table.name == "resource":
                    new["id"] = values["resource_id"]
                if "package_id" in columns:
                    new["package_id"] = values["id"]
                if "resource_id" in columns:
                    new["resource_id"] = values["resource_id"]
                if table.name == "member":
                    new.update(table_id=values["id"], group_id=values["org"]["id"])
                if table.name == "package_extra" and new["key"] in values["extras"]:
                    new["value"] = values["extras"][new["key"]]
                out.append(new)
        model.Session.execute(table.insert(), out)
    model.Session.commit()


def _clone_dict(raw: dict, values: dict) -> dict:
    """package_show (validate=False) of a clone: what CKAN's indexer reads."""
    d = json.loads(json.dumps(raw, default=str))
    org = values["org"]
    d.update(id=values["id"], name=values["name"], title=values["title"], notes=values["notes"], url=values["url"],
             owner_org=org["id"], metadata_created=values["modified"].isoformat(),
             metadata_modified=values["modified"].isoformat())
    d["organization"] = dict(d["organization"], id=org["id"], name=org["name"], title=org["title"])
    d["extras"] = [dict(e, value=values["extras"].get(e["key"], e["value"])) for e in d.get("extras", [])]
    for key, value in values["extras"].items():
        if key in d:
            d[key] = value
    for resource in d.get("resources", []):
        resource.update(id=values["resource_id"], package_id=values["id"])
    return d


def write_vanilla_ini(ini: Path) -> None:
    config = configparser.RawConfigParser(strict=False)
    config.optionxform = str
    config.read(ini)
    main = config["app:main"]
    # The vanilla ini lives elsewhere: %(here)s must keep meaning test.ini's folder
    # (the storage path: both apps serve the same uploaded files).
    for key, value in main.items():
        main[key] = value.replace("%(here)s", str(ini.resolve().parent))
    main["use"] = f"config:{ROOT / 'config' / 'satudata.ini'}"
    main["ckan.plugins"] = "scheming_datasets activity"
    main["scheming.dataset_schemas"] = "ckanext.scheming:ckan_dataset.yaml"
    main["scheming.presets"] = "ckanext.scheming:presets.json"
    for key in ("scheming.organization_schemas", "scheming.dataset_fallback"):
        main.pop(key, None)
    main["ckan.locale_default"] = "id"
    with VANILLA_INI.open("w") as f:
        config.write(f)


# -- measurement (one process per app, turns in between) ------------------------------

SEARCH_PAGE, DATASET_PAGE = "search page /dataset/?q=", "dataset page"
ANSWER = "@@bench "


def serve(ini: str, names: list[str], args) -> None:
    """One app's side of the bench: warm up, then measure what each line of stdin asks."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.plugins import plugin_loaded

    from ckan.tests.helpers import CKANTestApp

    # The whole WSGI stack (i18n, root path…), as a web server would call it.
    client = CKANTestApp(make_app(load_config(ini))).test_client()

    def get(url, **params):
        t = time.perf_counter()
        response = client.get(url, query_string=params)
        elapsed = (time.perf_counter() - t) * 1000
        assert response.status_code == 200, (url, params, response.status_code)
        return elapsed, response

    def answer(value) -> None:
        print(ANSWER + json.dumps(value), flush=True)

    app_label = "vanilla" if Path(ini).resolve() == VANILLA_INI.resolve() else "satudata"
    profiled = _profiler(args.profile, app_label)
    rnd = random.Random(7)
    sample = [rnd.choice(names) for _ in range(args.pages)]
    requests = {label: (lambda i, p=params: get("/api/3/action/package_search", **p))
                for label, params in SEARCHES.items()}
    requests[SEARCH_PAGE] = lambda i: get("/dataset/", q="penduduk")
    requests[DATASET_PAGE] = lambda i: get(f"/dataset/{sample[i % len(sample)]}")
    for name in sample[:5]:  # warm-up: templates, caches, connections
        get(f"/dataset/{name}")
        get("/api/3/action/package_search", q="*:*")
    for _ in range(3):  # and each request measured below (Solr's caches, lazy imports)
        for label, request in requests.items():
            if label != DATASET_PAGE:
                request(0)
    answer("ready")
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        if op == "requests":
            with profiled(command["kind"]):
                request = requests[command["kind"]]
                answer([request(i)[0] for i in range(command["first"], command["first"] + command["n"])])
        elif op == "counts":
            answer({label: get("/api/3/action/package_search", **params)[1].get_json()["result"]["count"]
                    for label, params in SEARCHES.items()})
        elif op == "harvest":
            answer(harvest(get) if not args.profile else {})
        elif op == "dcat":
            answer({"dcat": dcat_catalog(get, args)} if plugin_loaded("dcat") else {})
    profiled.dump()


def harvest(get) -> dict:
    """The whole catalog paged through package_search, as a harvester does."""
    out = {}
    for rows in (100, 1000):
        t, start, seen = time.perf_counter(), 0, 0
        while True:
            _, response = get("/api/3/action/package_search", q="*:*", rows=rows, start=start, sort="id asc")
            result = response.get_json()["result"]
            seen += len(result["results"])
            start += rows
            if start >= result["count"]:
                break
        out[f"harvest package_search rows={rows}"] = {"seconds": time.perf_counter() - t, "datasets": seen}
    return out


#: /catalog.ttl query parameters per profile set: the portal's configured profiles
#: (euro_dcat_ap_3 satudata) and ckanext-dcat's DCAT-AP 3 profile alone.
DCAT_PROFILES = {"satudata": {}, "euro_dcat_ap_3": {"profiles": "euro_dcat_ap_3"}}


def dcat_catalog(get, args) -> dict:
    """Page through /catalog.ttl with each profile set, page N of one right after
    page N of the other, so both meet the same Solr caches and machine load."""
    for params in DCAT_PROFILES.values():
        get("/catalog.ttl", page=1, **params)  # warm-up: profiles, schemas, codelists
    out = {label: {"pages": [], "seconds": 0.0} for label in DCAT_PROFILES}
    page, total = 1, None
    while True:
        more = False
        for label, params in DCAT_PROFILES.items():
            elapsed, response = get("/catalog.ttl", page=page, **params)
            body = response.get_data(as_text=True)
            out[label]["pages"].append(elapsed)
            out[label]["seconds"] += elapsed / 1000
            if total is None:
                total = int(re.search(r'hydra:totalItems\s+"?([0-9]+)', body).group(1))
            more = more or "hydra:next" in body
        if not more or (args.dcat_pages and page >= args.dcat_pages):
            break
        page += 1
    pages_total = -(-total // 100)
    for value in out.values():
        value.update(pages_total=pages_total, whole_seconds=value["seconds"] / page * pages_total)
    out["writers"] = _turtle_writers(get("/catalog.ttl", page=1)[1].get_data(as_text=True))
    return out


def _turtle_writers(body: str, repeat: int = 5) -> dict:
    """The Turtle writing alone, on the graph of page 1 (portal's profiles): rdflib's
    serializer against dcat/turtle.py, min of REPEAT each, alternated (same load)."""
    from rdflib import Graph

    from ckanext.satudata.dcat import turtle

    graph = Graph().parse(data=body, format="turtle")
    times: dict = {"rdflib turtle": [], turtle.FORMAT: []}
    for _ in range(repeat):
        for fmt in times:
            t = time.perf_counter()
            graph.serialize(format="turtle" if fmt == "rdflib turtle" else fmt)
            times[fmt].append((time.perf_counter() - t) * 1000)
    return {"triples": len(graph), **{fmt: min(ms) for fmt, ms in times.items()}}


def _profiler(directory: str | None, app_label: str):
    """A context manager factory: profile the block, each label's blocks adding up;
    ``profiled.dump()`` writes them to DIRECTORY/<app>-<label>.prof/.txt."""
    profiles: dict = {}

    @contextlib.contextmanager
    def profiled(label: str):
        if not directory:
            yield
            return
        import cProfile

        profile = profiles.setdefault(label, cProfile.Profile())
        profile.enable()
        try:
            yield
        finally:
            profile.disable()

    def dump() -> None:
        import io
        import pstats

        for label, profile in profiles.items():
            stem = Path(directory) / f"{app_label}-{label.split(' /')[0].replace(' ', '_').replace('+', '_')}"
            stem.parent.mkdir(parents=True, exist_ok=True)
            profile.dump_stats(f"{stem}.prof")
            text = io.StringIO()
            stats = pstats.Stats(profile, stream=text).strip_dirs()
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(40)
            Path(f"{stem}.txt").write_text(text.getvalue())

    profiled.dump = dump
    return profiled


def report(results: dict, count: int) -> None:
    ours, base = results["satudata"], results["vanilla"]
    print(f"\n{count} published datasets; p50/p95 in ms (ratio = satudata p50 / vanilla p50)")
    print(f"{'request':28} {'satudata p50':>12} {'p95':>8} {'vanilla p50':>12} {'p95':>8} {'ratio':>6}")
    for label, samples in ours.items():
        if not isinstance(samples, list):
            continue
        p50, p95 = percentiles(samples)
        b50, b95 = percentiles(base[label])
        print(f"{label:28} {p50:12.1f} {p95:8.1f} {b50:12.1f} {b95:8.1f} {p50 / b50:6.2f}")
    print("results found (satudata / vanilla): " + ", ".join(
        f"{label} {n}/{base['counts'][label]}" for label, n in ours["counts"].items()))
    print("\nharvesting the whole catalog")
    for label, value in ours.items():
        if isinstance(value, list) or label in ("counts", "dcat"):
            continue
        b = base[label]["seconds"]
        print(f"{label:36} {value['seconds']:8.1f} s ({value['datasets']} datasets; vanilla {b:.1f} s,"
              f" ratio {value['seconds'] / b:.2f})")


def report_dcat(dcat: dict, count: int) -> None:
    ours, base = dcat["satudata"], dcat["euro_dcat_ap_3"]
    writers = dcat.pop("writers", None)
    pages, total = len(ours["pages"]), ours["pages_total"]
    print(f"\nDCAT /catalog.ttl, {count} published datasets, {pages} of {total} pages of 100 "
          "(server time; ratio = satudata / euro_dcat_ap_3 alone)")
    print(f"{'profiles':28} {'page p50 ms':>12} {'p95':>8} {'whole catalog s':>16}")
    for label, value in dcat.items():
        p50, p95 = percentiles(value["pages"])
        print(f"{label:28} {p50:12.1f} {p95:8.1f} {value['whole_seconds']:16.1f}")
    print(f"{'ratio':28} {percentiles(ours['pages'])[0] / percentiles(base['pages'])[0]:12.2f} "
          f"{percentiles(ours['pages'])[1] / percentiles(base['pages'])[1]:8.2f} "
          f"{ours['whole_seconds'] / base['whole_seconds']:16.2f}")
    if pages < total:
        print(f"(whole catalog extrapolated from {pages} pages)")
    if writers:
        print(f"Turtle writing alone, page 1's graph ({writers.pop('triples')} triples), min of 5: "
              + ", ".join(f"{fmt} {ms:.1f} ms" for fmt, ms in writers.items()))


if __name__ == "__main__":
    main()
