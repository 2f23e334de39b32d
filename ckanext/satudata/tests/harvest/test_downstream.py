"""A plain CKAN 2.11 downstream harvests the live portal with the harvesters people run:
ckanext-harvest 1.6.3's CKAN harvester and ckanext-dcat 2.4.4's DCAT RDF harvester.

One scenario (the downstream is slow to build): the exact published set and nothing
else; then a withdrawal and a published revision at the source, harvested again;
and the field-survival table of README's Harvesting section, written to
test-artifacts/harvest/field-survival.md.
"""
from __future__ import annotations

import json

from ckan.tests import helpers

from ckanext.satudata.tests.conftest import ROOT
from ckanext.satudata.tests.dcat.conftest import portal, reach  # noqa: F401 (portal: fixture)
from ckanext.satudata.tests.harvest.conftest import PUBLISHED, REVISED_NOTES, make_world, revise

#: The standar data and SDI fields of a data sektoral, as the portal holds them.
SDI_FIELDS = ("konsep", "definisi", "klasifikasi", "ukuran", "satuan", "id_sds", "sektor", "akses",
              "kode_wilayah", "level_penyajian", "tahun_data", "frekuensi", "jadwal_rilis_berikutnya",
              "data_prioritas", "prioritas_tahun", "kegiatan", "indikator", "license_id")


def _extras(copy: dict) -> dict:
    return {e["key"]: e["value"] for e in copy.get("extras", [])}


def _source_id(copy: dict) -> str:
    """The portal's id of a downstream copy (the CKAN harvester keeps ids; DCAT: dct:identifier)."""
    return _extras(copy).get("identifier") or copy["id"]


def _by_source_id(copies: list[dict]) -> dict[str, dict]:
    return {_source_id(c): c for c in copies}


def _texts(value) -> list[str]:
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def survival(shown: dict, copy: dict, field: str) -> str:
    """Where a plain downstream copy keeps FIELD's value: `name` (top level), extra `name`, or lost."""
    value = shown.get(field)
    if value in (None, "", []):
        return "(empty at source)"
    if copy.get(field) == value:
        return f"`{field}`"
    for key, held in _extras(copy).items():
        if set(_texts(value)) <= _tokens(held):
            return f"extra `{key}`"
    return "lost"


def _tokens(held: str) -> set[str]:
    """An extra's values: JSON list items, comma-separated items, and a URI's last segment."""
    try:
        items = json.loads(held)
    except ValueError:
        items = None
    # only a JSON list is parsed: json.loads("true") is True, whose str() "True" is no
    # longer the text the downstream holds
    items = items if isinstance(items, list) else held.split(",")
    tokens = set()
    for item in map(str, items):
        tokens |= {item, item.rstrip("/").rsplit("/", 1)[-1]}
    return tokens


def test_plain_downstream_harvests_the_truth(downstream, live_server, portal):
    made = make_world(portal)
    published = {made[k]["id"] for k in PUBLISHED}
    downstream.call("setup", live_server.url)

    first = {kind: downstream.call("harvest", f"satudata-{kind}") for kind in ("ckan", "dcat")}
    for kind, run in first.items():
        assert not run["gather_errors"] and not run["object_errors"], (kind, run)
    ckan_copies = _by_source_id(first["ckan"]["datasets"].get("ckan", []))
    dcat_copies = _by_source_id(first["dcat"]["datasets"].get("dcat_rdf", []))
    assert set(ckan_copies) == published
    assert set(dcat_copies) == published

    # withdrawal and a published revision at the source, then both harvest again
    reach(portal, made["to_withdraw"], "ditarik")
    revise(portal, made["to_revise"])

    second = {kind: downstream.call("harvest", f"satudata-{kind}") for kind in ("ckan", "dcat")}
    ckan_after = _by_source_id(second["dcat"]["datasets"].get("ckan", []))
    dcat_after = _by_source_id(second["dcat"]["datasets"].get("dcat_rdf", []))
    # DCAT: the withdrawn dataset left the catalog, so the harvester deleted its copy
    assert set(dcat_after) == published - {made["to_withdraw"]["id"]}
    # CKAN harvester: it never deletes (ckanext-harvest 1.6.3); measured, reported in README
    ckan_keeps_withdrawn = made["to_withdraw"]["id"] in ckan_after
    assert set(ckan_after) - {made["to_withdraw"]["id"]} == published - {made["to_withdraw"]["id"]}
    for copies in (ckan_after, dcat_after):
        assert copies[made["to_revise"]["id"]]["notes"] == REVISED_NOTES

    shown = helpers.call_action("package_show", id=made["dataset"]["id"])
    table = {field: (survival(shown, ckan_after[shown["id"]], field),
                     survival(shown, dcat_after[shown["id"]], field)) for field in SDI_FIELDS}
    _write_table(table, first, second, ckan_keeps_withdrawn)
    # a plain CKAN harvester keeps every SDI field (national extras: harvest/national.py)
    assert [f for f, (ckan, _) in table.items() if ckan == "lost"] == []
    # the DCAT harvester keeps the kode referensi as text (no blank-node id), sector and region
    for field in ("id_sds", "sektor", "kode_wilayah"):
        assert table[field][1] != "lost", (field, table)


def _write_table(table, first, second, ckan_keeps_withdrawn) -> None:
    out = ROOT / "test-artifacts" / "harvest"
    out.mkdir(parents=True, exist_ok=True)
    lines = ["| field | CKAN harvester | DCAT harvester |", "|---|---|---|"]
    lines += [f"| {field} | {ckan} | {dcat} |" for field, (ckan, dcat) in table.items()]
    lines += ["", "| run | CKAN harvester (s) | DCAT harvester (s) |", "|---|---|---|",
              f"| first | {first['ckan']['seconds']} | {first['dcat']['seconds']} |",
              f"| second | {second['ckan']['seconds']} | {second['dcat']['seconds']} |",
              "", f"CKAN harvester keeps the withdrawn copy: {ckan_keeps_withdrawn}"]
    (out / "field-survival.md").write_text("\n".join(lines) + "\n")
    (out / "runs.json").write_text(json.dumps({"first": first, "second": second}, default=str)[:2_000_000])
