from ckanext.satudata import completeness

SCHEMA = {"dataset_fields": [
    {"field_name": "title", "required": True},
    {"field_name": "konsep", "required": True},
    {"field_name": "notes", "recommended": True},
    {"field_name": "klasifikasi"},
    {"field_name": "data_prioritas", "recommended": True},
    {"field_name": "prioritas_tahun", "required_if": {"field": "data_prioritas", "is_true": True}},
]}


def test_counts_required_recommended_and_conditions_that_hold():
    dataset = {"title": "T", "konsep": "", "notes": "N", "data_prioritas": False}
    assert completeness.expected_fields(SCHEMA, dataset) == ["title", "konsep", "notes", "data_prioritas"]
    assert completeness.score(SCHEMA, dataset) == 75
    assert completeness.missing_fields(SCHEMA, dataset) == ["konsep"]


def test_condition_adds_its_field():
    dataset = {"title": "T", "konsep": "K", "notes": "N", "data_prioritas": True}
    assert "prioritas_tahun" in completeness.expected_fields(SCHEMA, dataset)
    assert completeness.score(SCHEMA, dataset) == 80
    assert completeness.score(SCHEMA, dict(dataset, prioritas_tahun=2024)) == 100


def test_buckets():
    assert [completeness.bucket(p) for p in (0, 49, 50, 79, 80, 99, 100)] == [
        "0-49", "0-49", "50-79", "50-79", "80-99", "80-99", "100"]


def test_tags_count_for_the_tag_field():
    schema = {"dataset_fields": [{"field_name": "tag_string", "recommended": True}]}
    assert completeness.score(schema, {"tags": [{"name": "penduduk"}]}) == 100
    assert completeness.score(schema, {"tags": []}) == 0
