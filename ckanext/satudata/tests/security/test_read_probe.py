"""Generic read probe: no read surface tells an outsider about unpublished data.

Surfaces are not listed by hand: every action of CKAN's registry that CKAN
itself marks as a read (``side_effect_free``, or a ``*_show``/``*_list``/
``*_search`` name) and every GET route of the Flask app's url_map. Each is
called with the ids, names and resource ids of datasets in every non-public
workflow state (and with the public anchors a caller knows: organizations,
users, the published dataset), by three callers:

* anonymous,
* a producer of another OPD (API token),
* a sysadmin API token used harvester-style (no ``include_private``).

A leak is any unpublished id, name, title, resource id, resource name or
notes marker of a hidden dataset in a response body or a redirect Location,
except the values the caller sent. The sysadmin may read any dataset it
names, so for it the values of the dataset it sent are excepted too, and its
HTML pages (the web interface a person uses, where a sysadmin sees all) are
not checked: its machine surfaces are. 5xx answers are collected as well.
"""
from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from werkzeug.routing import AnyConverter

import ckan.logic as logic
from ckan.lib.navl.dictization_functions import DataError
from ckan.lib.search import SearchError, SearchQueryError
import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.conftest import reset_world
from ckanext.satudata.tests.workflow.conftest import Portal

# Workflow states of the sdi workflow a dataset can rest in, unpublished.
HIDDEN_STATES = ["draf", "diperiksa_walidata", "direview_pembina", "disetujui",
                 "dikembalikan", "ditolak", "ditarik"]
# Request parameter names that name a dataset, a resource, or search text.
DATASET_KEYS = ("id", "name_or_id", "package_id", "dataset_id", "pkg_id", "package", "dataset",
                "subject", "object", "q", "query", "incomplete", "name", "fq")
RESOURCE_KEYS = ("resource_id", "resource", "view_id")
# Flags that make listings include their datasets: the probe asks for everything
# except private data (that is for the caller to request explicitly).
LISTING_FLAGS = {"include_datasets": True, "all_fields": True, "include_extras": True,
                 "include_tags": True, "include_users": True, "rows": 1000, "limit": 1000}
# Route arguments that are not identifiers: a value that reaches the view.
ROUTE_DEFAULTS = {"package_type": "dataset", "dataset_type": "dataset", "type": "dataset",
                  "group_type": "organization", "fmt": "csv", "format": "csv", "_format": "ttl",
                  "lang": "id", "locale": "id", "ver": "3", "filename": "data.csv",
                  "offset": "0", "page": "1"}
READ_NAME = re.compile(r"_(show|list|search|autocomplete|count|history|diff)$")


@dataclass
class Hidden:
    state: str
    id: str
    name: str
    title: str
    resource_ids: list[str]
    # Id and name of the published dataset that holds this one as its open revision
    # or references it (kegiatan link, relationship): a sysadmin naming it sees it.
    named_by: frozenset = frozenset()
    secrets: dict[str, str] = field(default_factory=dict)  # value -> what it is


def _sdi_datasets(portal, upload_resource) -> tuple[list[Hidden], dict]:
    """A dataset with an uploaded file in each hidden state, a staged revision, an
    OPD's draft kegiatan, and the published dataset that links to both kinds."""
    sysadmin = {"user": portal.sysadmin["name"]}
    hidden = []
    for state in HIDDEN_STATES:
        slug = state.replace("_", "-")
        dataset = portal.dataset(name=f"probe-{slug}-qx7", title=f"Judul rahasia {slug} qx7",
                                 notes=f"Catatan penanda-{slug}-qx7")
        resource = upload_resource(dataset["id"], "penduduk_valid.csv", portal.produsen["name"],
                                   name=f"berkas-{slug}-qx7.csv")
        portal.validate(dataset["id"])
        if state == "ditarik":
            # Edited while public (an activity with the public label), then withdrawn.
            portal.reach(dataset, "terpublikasi")
            helpers.call_action("package_patch", sysadmin, id=dataset["id"],
                                notes=f"Catatan penanda-{slug}-qx7 (diperbarui)")
        portal.reach(dataset, state)
        hidden.append(Hidden(state, dataset["id"], dataset["name"], dataset["title"], [resource["id"]]))
    kegiatan = sd.create(sd.kegiatan(portal.opd["id"], name="probe-kegiatan-draf-qx7",
                                     title="Judul rahasia kegiatan qx7",
                                     notes="Catatan penanda-kegiatan-qx7"), portal.produsen["name"])
    hidden.append(Hidden("kegiatan (draf)", kegiatan["id"], kegiatan["name"], kegiatan["title"], []))
    published = sd.create(sd.data_sektoral(
        portal.opd["id"], name="probe-terbit", title="Data terbit untuk uji",
        kegiatan=kegiatan["name"]), portal.produsen["name"])
    upload_resource(published["id"], "penduduk_valid.csv", portal.produsen["name"])
    portal.validate(published["id"])
    helpers.call_action("package_relationship_create", {"user": portal.produsen["name"]},
                        subject=published["id"], object=hidden[0].id, type="links_to")
    portal.reach(published, "terpublikasi")
    copy = helpers.call_action("satudata_revision_create", {"user": portal.produsen["name"]},
                               id=published["id"])
    helpers.call_action("package_patch", {"user": portal.produsen["name"]}, id=copy["id"],
                        notes="Catatan penanda-revisi-qx7")
    copy = helpers.call_action("package_show", id=copy["id"])
    hidden.append(Hidden("revisi (draf)", copy["id"], copy["name"], copy["title"],
                         [r["id"] for r in copy["resources"]],
                         named_by=frozenset({published["id"], published["name"]})))
    for h in hidden:
        if h.name == "probe-draf-qx7":
            h.named_by = frozenset({published["id"], published["name"]})
        elif h.name == "probe-kegiatan-draf-qx7":  # linked from the dataset and its revision
            h.named_by = frozenset({published["id"], published["name"], copy["id"], copy["name"]})
    return hidden, helpers.call_action("package_show", id=published["id"])


def _secrets(h: Hidden, public_values: set[str]) -> dict[str, str]:
    pkg = model.Package.get(h.id)
    values = {h.id: "id", h.name: "name", h.title: "title", pkg.notes: "notes"}
    for resource in pkg.resources:
        values[resource.id] = "resource id"
        values[resource.name] = "resource name"
    # A withdrawn dataset's tombstone (id, name, title) is public by design; a
    # revision shares its original's title.
    return {v: what for v, what in values.items() if v and v not in public_values}


@pytest.fixture(scope="module")
def probe_world(app_for_module):
    reset_world()
    from ckanext.satudata.tests.conftest import FIXTURES
    from werkzeug.datastructures import FileStorage

    def upload(dataset_id, filename, user, **fields):
        with (FIXTURES / filename).open("rb") as stream:
            return tk.get_action("resource_create")({"user": user}, {
                "package_id": dataset_id, "url": filename,
                "format": "CSV", "upload": FileStorage(stream=stream, filename=filename),
                **{"name": filename, **fields}})

    portal = Portal()
    hidden, published = _sdi_datasets(portal, upload)
    withdrawn = next(h for h in hidden if h.state == "ditarik")
    public_values = {published["title"], published["notes"], withdrawn.id, withdrawn.name,
                     withdrawn.title, *(r["name"] for r in published["resources"])}
    for h in hidden:
        h.secrets = _secrets(h, public_values)
    tokens = {
        "produsen OPD lain": ckan_factories.APIToken(user=portal.produsen_lain["name"])["token"],
        "sysadmin token": ckan_factories.APIToken(user=portal.sysadmin["name"])["token"],
    }
    callers = {"anonim": ("", None),
               "produsen OPD lain": (portal.produsen_lain["name"], tokens["produsen OPD lain"]),
               "sysadmin token": (portal.sysadmin["name"], tokens["sysadmin token"])}
    anchors = [portal.opd["name"], portal.opd["id"], "diskominfo", "bps", portal.produsen["name"],
               portal.walidata["name"], published["id"], published["name"],
               published["resources"][0]["id"], "penduduk"]
    return {"portal": portal, "hidden": hidden, "published": published, "callers": callers,
            "anchors": anchors}


@pytest.fixture(scope="module")
def app_for_module():
    # CKAN's `app` fixture is function-scoped; the world is built once.
    return helpers._get_test_app()


# --- surfaces -------------------------------------------------------------------------------

def read_actions() -> dict[str, object]:
    tk.get_action("package_show")  # fills the registry
    return {name: fn for name, fn in sorted(logic._actions.items())
            if getattr(fn, "side_effect_free", False) or READ_NAME.search(name)}


def get_routes(flask_app) -> list:
    rules = []
    for rule in flask_app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        if rule.endpoint.startswith("api.action") or "logic_function" in rule.arguments:
            continue  # the actions, probed directly
        if rule.rule.startswith(("/webassets", "/base/", "/_debug")):
            continue
        rules.append(rule)
    return rules


def _action_variants(world, h_list):
    """(params, sent values, dataset sent) for one action."""
    yield {}, set(), None
    yield dict(LISTING_FLAGS), set(), None
    for anchor in world["anchors"]:
        params = {k: anchor for k in DATASET_KEYS + RESOURCE_KEYS}
        yield {**params, **LISTING_FLAGS}, {anchor}, None
    for h in h_list:
        rid = (h.resource_ids or [h.id])[0]
        for value in (h.id, h.name):
            yield ({**{k: value for k in DATASET_KEYS}, **{k: rid for k in RESOURCE_KEYS},
                    **LISTING_FLAGS}, {value, rid}, h)
        yield {k: rid for k in DATASET_KEYS + RESOURCE_KEYS}, {rid}, h


def _one_per_kind(h_list):
    """A draft, a withdrawn dataset, a revision and a draft kegiatan: the kinds
    whose visibility differs. Query strings are ignored by most routes, so this
    keeps the run short; identifiers in the path are tried for every state."""
    kinds = {}
    for h in h_list:
        kinds.setdefault(h.state if h.state in ("ditarik",) or "(" in h.state else "draf", h)
    return list(kinds.values())


def _route_values(rule, world, h: Hidden | None, anchor: str | None):
    values = {}
    for arg in rule.arguments:
        converter = rule._converters.get(arg)
        if isinstance(converter, AnyConverter):
            values[arg] = next(iter(converter.items))
        elif arg in ROUTE_DEFAULTS:
            values[arg] = ROUTE_DEFAULTS[arg]
        elif h is None:
            values[arg] = anchor
        elif "resource" in arg or arg == "rid":
            values[arg] = (h.resource_ids or [h.id])[0]
        else:
            values[arg] = h.id
    return values


def _route_variants(rule, world, h_list):
    from urllib.parse import urlencode
    idents = [a for a in rule.arguments if a not in ROUTE_DEFAULTS
              and not isinstance(rule._converters.get(a), AnyConverter)]
    if not idents:
        _, path = rule.build(_route_values(rule, world, None, None), append_unknown=False)
        yield path, set(), None
        for h in _one_per_kind(h_list):  # search-like query strings
            rid = (h.resource_ids or [h.id])[0]
            query = urlencode({"q": h.name, "id": h.id, "incomplete": h.name, "resource_id": rid})
            yield f"{path}?{query}", {h.name, h.id, rid}, h
        return
    for anchor in world["anchors"][:3]:
        _, path = rule.build(_route_values(rule, world, None, anchor), append_unknown=False)
        yield path, {anchor}, None
    for h in h_list:
        values = _route_values(rule, world, h, None)
        _, path = rule.build(values, append_unknown=False)
        yield path, set(values.values()), h


# --- checking -------------------------------------------------------------------------------

@dataclass
class Tally:
    responses: int = 0
    leaks: dict = field(default_factory=lambda: defaultdict(set))   # (surface, caller) -> values
    examples: dict = field(default_factory=dict)                    # (surface, caller) -> one call
    errors: dict = field(default_factory=dict)                      # (surface, caller) -> status/exc


def _scan(text: str, world, sent: set[str], target: Hidden | None, caller: str,
          surface: str, tally: Tally, request) -> None:
    tally.responses += 1
    for h in world["hidden"]:
        # A sysadmin reads what it names, with its open revision and what it references.
        if caller == "sysadmin token" and (h is target or h.named_by & sent):
            continue
        for value, what in h.secrets.items():
            if value in sent or value not in text:
                continue
            tally.leaks[(surface, caller)].add(f"{what} of {h.state}")
            at = text.index(value)
            tally.examples.setdefault((surface, caller), (
                request, text[max(0, at - 80):at + len(value) + 40].replace("\n", " ")))


def _call_action(name, user, params):
    """The body the API would answer, computed in process (the API view adds nothing
    but the status); exceptions the API turns into a 500 propagate."""
    context = {"user": user, "ignore_auth": False}
    try:
        return json.dumps(tk.get_action(name)(context, dict(params)), default=str)
    except (tk.ObjectNotFound, tk.NotAuthorized, DataError) as e:
        return str(e)
    except tk.ValidationError as e:
        return json.dumps(e.error_dict, default=str) + str(getattr(e, "error_summary", ""))
    except (SearchQueryError, SearchError) as e:
        return str(e)


def _admin_only(name: str, world) -> bool:
    """Refused to anonymous and to an OPD's producer alike, whatever the dataset."""
    for user in ("", world["callers"]["produsen OPD lain"][0]):
        try:
            tk.check_access(name, {"user": user}, {"id": world["published"]["id"]})
            return False
        except tk.NotAuthorized:
            continue
        except Exception:  # noqa: BLE001 - an auth function that needs other parameters
            return False
    return True


def _probe(world, caller: str) -> tuple[Tally, dict]:
    app = world["app"]
    user, token = world["callers"][caller]
    headers = {"Authorization": token} if token else {}
    tally = Tally()
    counts = {"actions": 0, "routes": 0, "hidden": len(world["hidden"]), "admin-only": 0}
    with app.flask_app.test_request_context():
        actions = read_actions()
        if caller == "sysadmin token":
            # Administration tools (the job queue, config) are not harvested listings.
            admin = {n for n in actions if _admin_only(n, world)}
            counts["admin-only"] = len(admin)
            actions = {n: f for n, f in actions.items() if n not in admin}
    counts["actions"] = len(actions)
    for name in actions:
        for params, sent, target in _action_variants(world, world["hidden"]):
            with app.flask_app.test_request_context():
                try:
                    text = _call_action(name, user, params)
                except Exception as e:  # noqa: BLE001 - every crash is a finding
                    tally.errors.setdefault((f"action {name}", caller), f"{type(e).__name__}: {e}"[:200])
                    model.Session.rollback()
                    continue
            _scan(text, world, sent, target, caller, f"action {name}", tally,
                  {k: v for k, v in params.items() if k not in LISTING_FLAGS})
    rules = get_routes(app.flask_app)
    counts["routes"] = len(rules)
    for rule in rules:
        surface = f"GET {rule.rule}"
        for path, sent, target in _route_variants(rule, world, world["hidden"]):
            try:
                response = app.get(path, headers=headers, follow_redirects=False)
            except Exception as e:  # noqa: BLE001 - the test client re-raises what would be a 500
                tally.errors.setdefault((surface, caller), f"500 {path}: {type(e).__name__}: {e}"[:200])
                model.Session.rollback()
                continue
            if response.status_code >= 500:
                tally.errors.setdefault((surface, caller), f"{response.status_code} {path}")
            html = response.headers.get("Content-Type", "").startswith("text/html")
            if caller == "sysadmin token" and html:
                continue
            text = _readable(response.get_data())
            text += " " + response.headers.get("Location", "")
            _scan(text, world, sent, target, caller, surface, tally, path)
    return tally, counts


def _readable(body: bytes) -> str:
    """A response body as text to scan: an XLSX (a zip) by the XML inside it."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return body.decode("utf-8", "replace")


def _report(caller, tally, counts, elapsed) -> str:
    lines = [f"read probe [{caller}]: {counts['actions']} actions "
             f"(+{counts['admin-only']} sysadmin-only, not probed for the token), "
             f"{counts['routes']} GET routes, "
             f"{counts['hidden']} hidden datasets, {tally.responses} responses checked, "
             f"{len(tally.leaks)} leaking surfaces, {len(tally.errors)} 5xx/crashes, {elapsed:.0f} s"]
    for (surface, who), values in sorted(tally.leaks.items()):
        lines.append(f"  LEAK {surface} × {who}: {', '.join(sorted(values))}")
        request, excerpt = tally.examples[(surface, who)]
        lines.append(f"       e.g. {str(request)[:160]} -> ...{excerpt}...")
    for (surface, who), error in sorted(tally.errors.items()):
        lines.append(f"  5XX  {surface} × {who}: {error}")
    return "\n".join(lines)


@pytest.mark.parametrize("caller", ["anonim", "produsen OPD lain", "sysadmin token"])
def test_no_read_surface_reveals_unpublished_data(probe_world, app_for_module, caller):
    world = dict(probe_world, app=app_for_module)
    started = time.monotonic()
    tally, counts = _probe(world, caller)
    report = _report(caller, tally, counts, time.monotonic() - started)
    print(report)
    assert not tally.leaks and not tally.errors, report
