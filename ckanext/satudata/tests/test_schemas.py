"""The scheme's data files agree with each other."""
from pathlib import Path

import pytest
import yaml

from ckanext.satudata import codelists

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
DATASET_SCHEMAS = ["dataset.yaml", "kegiatan.yaml", "indikator.yaml"]


def _fields(name):
    schema = yaml.safe_load((SCHEMAS / name).read_text(encoding="utf-8"))
    fields = schema.get("dataset_fields", schema.get("fields", []))
    for field in list(fields) + schema.get("resource_fields", []):
        yield field
        yield from field.get("repeating_subfields", [])


@pytest.mark.parametrize("name", sorted(codelists.all_codelists()))
def test_every_codelist_value_has_both_labels(name):
    entries = codelists.values(name)
    assert entries
    values = [str(e["value"]) for e in entries]
    assert len(values) == len(set(values)), "duplicated value"
    for entry in entries:
        assert entry["label"].get("id", "").strip(), entry
        assert entry["label"].get("en", "").strip(), entry


@pytest.mark.parametrize("name", DATASET_SCHEMAS + ["organization.yaml"])
def test_every_field_has_both_labels_and_known_codelist(name):
    for field in _fields(name):
        label = field.get("label")
        assert isinstance(label, dict) and label.get("id") and label.get("en"), field["field_name"]
        if "codelist" in field:
            assert field["codelist"] in codelists.all_codelists(), field["field_name"]


@pytest.mark.parametrize("name", DATASET_SCHEMAS)
def test_rules_point_at_fields_of_the_same_schema(name):
    names = {f["field_name"] for f in _fields(name)}
    for field in _fields(name):
        for kind in ("required_if", "only_if"):
            if kind in field:
                assert field[kind]["field"] in names, (field["field_name"], kind)
        if "not_before" in field:
            assert field["not_before"] in names, field["field_name"]


@pytest.mark.parametrize("name", DATASET_SCHEMAS + ["organization.yaml"])
def test_bilingual_texts_have_only_id_and_en(name):
    """A comma in an unquoted flow mapping ({id: a, b, en: c}) silently splits it."""
    texts = []
    for field in _fields(name):
        texts += [field.get(k) for k in ("label", "help_text", "form_placeholder")]
        page = field.get("start_form_page") or {}
        texts += [page.get("title"), page.get("description")]
    for text in [t for t in texts if isinstance(t, dict)]:
        assert set(text) == {"id", "en"}, text
