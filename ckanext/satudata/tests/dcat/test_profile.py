"""The satudata RDF profile: DCAT-AP 3 plus the scheme's statistical fields."""
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SKOS, XSD

from ckanext.dcat.profiles import ADMS, DCAT, DCT
from ckanext.satudata.dcat import profile
from ckanext.satudata.dcat.vocab import (CSVW, EU_ACCESS_RIGHT, EU_FREQUENCY, PROV, SD, SDK,
                                         SDMX_ATTRIBUTE, TABLE_SCHEMA_SPEC)

SITE = "http://test.ckan.net"
FORMATS = {"rdf": "xml", "ttl": "turtle", "jsonld": "json-ld", "xml": "xml", "n3": "n3"}


def _graph(app, url: str, fmt: str) -> Graph:
    response = app.get(url)
    assert response.status_code == 200, response.body[:500]
    return Graph().parse(data=response.body, format=FORMATS[fmt])


def _one(g: Graph, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


def test_dataset_rdf_carries_the_scheme(app, published):
    _, dataset, resource, kegiatan, indikator = published
    graphs = {fmt: _graph(app, f"/dataset/{dataset['name']}.{fmt}", fmt) for fmt in FORMATS}
    for fmt, g in graphs.items():
        _assert_scheme(g, dataset, resource, kegiatan, indikator)


def _assert_scheme(g, dataset, resource, kegiatan, indikator):
    ref = URIRef(f"{SITE}/dataset/{dataset['id']}")
    assert (ref, RDF.type, DCAT.Dataset) in g
    assert _one(g, ref, DCT.title) == Literal(dataset["title"])
    # standar data
    assert str(_one(g, ref, SD.konsep)).startswith("Penduduk adalah setiap orang")
    assert str(_one(g, ref, SKOS.definition)).startswith("Jumlah penduduk menurut data")
    assert _one(g, ref, SD.klasifikasi) == Literal("Jenis kelamin")
    assert _one(g, ref, SD.ukuran) == Literal("Jumlah")
    assert _one(g, ref, SDMX_ATTRIBUTE.unitMeasure) == Literal("Jiwa")
    # kode referensi, wilayah, waktu, frekuensi, akses
    identifier = _one(g, ref, ADMS.identifier)
    assert _one(g, identifier, SKOS.notation) == Literal("SP00055.35.14")
    place = _one(g, ref, DCT.spatial)
    assert place == SDK["wilayah/35.14"]
    assert _one(g, place, DCT.identifier) == Literal("35.14")
    assert _one(g, place, SKOS.prefLabel) == Literal("Kabupaten Pasuruan", lang="id")
    assert EU_FREQUENCY.ANNUAL in set(g.objects(ref, DCT.accrualPeriodicity))
    assert _one(g, ref, DCT.accessRights) == EU_ACCESS_RIGHT.PUBLIC
    assert {str(y) for y in g.objects(ref, SD.tahunData)} == {"2021", "2022", "2023"}
    period = _one(g, ref, DCT.temporal)
    assert _one(g, period, DCAT.startDate) == Literal("2021-01-01", datatype=XSD.date)
    assert _one(g, period, DCAT.endDate) == Literal("2023-12-31", datatype=XSD.date)
    theme = SDK["sektor_kegiatan/DEMOGRAFI_DAN_KEPENDUDUKAN"]
    assert theme in set(g.objects(ref, DCAT.theme))
    assert set(g.objects(theme, SKOS.prefLabel)) == {
        Literal("Demografi dan kependudukan", lang="id"), Literal("Demography and population", lang="en")}
    assert _one(g, ref, SD.levelPenyajian) == SDK["level_penyajian/KECAMATAN"]
    assert _one(g, ref, SD.jadwalRilisBerikutnya) == Literal("2025-03-31", datatype=XSD.date)
    # MS-Keg summary
    activity = _one(g, ref, SD.kegiatan)
    assert activity == URIRef(f"{SITE}/dataset/{kegiatan['id']}#kegiatan")
    assert (activity, RDF.type, PROV.Activity) in g
    assert _one(g, activity, DCT.title) == Literal(kegiatan["title"])
    assert _one(g, activity, SD.penyelenggara) == Literal("Dinas Kesehatan Kabupaten Pasuruan")
    assert _one(g, activity, SD.tahunKegiatan) == Literal("2024", datatype=XSD.gYear)
    assert _one(g, activity, SD.caraPengumpulanData) == SDK["cara_pengumpulan_data/SURVEI"]
    assert _one(g, activity, DCT.accrualPeriodicity) == EU_FREQUENCY.ANNUAL
    # MS-Ind
    indicator = _one(g, ref, SD.indikator)
    assert (indicator, RDF.type, SKOS.Concept) in g
    assert _one(g, indicator, SKOS.prefLabel) == Literal("Rasio Jenis Kelamin")
    assert str(_one(g, indicator, SKOS.definition)).startswith("Banyaknya penduduk laki-laki")
    assert _one(g, indicator, SD.rumus) == Literal(r"RJK = \frac{P_L}{P_P} \times 100")
    assert _one(g, indicator, SDMX_ATTRIBUTE.unitMeasure) == Literal("Persen")
    # MS-Var of the distribution
    distribution = URIRef(f"{SITE}/dataset/{dataset['id']}/resource/{resource['id']}")
    assert distribution in set(g.objects(ref, DCAT.distribution))
    assert TABLE_SCHEMA_SPEC in set(g.objects(distribution, DCT.conformsTo))
    schema = _one(g, distribution, CSVW.tableSchema)
    columns = list(Collection(g, _one(g, schema, CSVW.column)))
    assert [str(_one(g, c, CSVW.name)) for c in columns] == [
        "tahun", "kecamatan", "laki_laki", "perempuan", "jumlah"]
    tahun, kecamatan, laki = columns[0], columns[1], columns[2]
    assert _one(g, tahun, CSVW.datatype) == Literal("gYear")
    assert _one(g, tahun, CSVW.required) == Literal(True)
    assert _one(g, kecamatan, SD.klasifikasiRujukan) == Literal("Kepmendagri 300.2.2-2138/2025")
    assert _one(g, laki, SDMX_ATTRIBUTE.unitMeasure) == Literal("Jiwa")
    assert _one(g, laki, CSVW.title) == Literal("Penduduk laki-laki")


def test_kegiatan_and_indikator_records_describe_their_subject(app, published):
    _, _, _, kegiatan, indikator = published
    g = _graph(app, f"/dataset/{kegiatan['name']}.ttl", "ttl")
    ref = URIRef(f"{SITE}/dataset/{kegiatan['id']}")
    assert _one(g, ref, DCT.type) == SDK["jenis_data/kegiatan"]
    activity = _one(g, ref, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"))
    assert _one(g, activity, SD.jenisStatistik) == SDK["jenis_statistik/STATISTIK_SEKTORAL"]
    assert _one(g, activity, PROV.startedAtTime) == Literal("2024-02-01", datatype=XSD.date)

    g = _graph(app, f"/dataset/{indikator['name']}.ttl", "ttl")
    ref = URIRef(f"{SITE}/dataset/{indikator['id']}")
    concept = _one(g, ref, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"))
    assert str(_one(g, concept, SD.metodePerhitungan)).startswith("Jumlah laki-laki dibagi")
    assert {str(k) for k in g.objects(concept, SD.konsep)} == {"Penduduk", "Jenis kelamin"}


def test_unpublished_kegiatan_is_not_described(app, published, portal_draft_kegiatan):
    """A link to a kegiatan the public cannot see adds nothing of it to the RDF, on the
    dataset's own page or in the catalog (which looks links up for a whole page)."""
    portal, dataset = portal_draft_kegiatan
    ref = URIRef(f"{SITE}/dataset/{dataset['id']}")
    for url in (f"/dataset/{dataset['name']}.ttl", "/catalog.ttl"):
        g = _graph(app, url, "ttl")
        assert (URIRef(SITE), DCAT.dataset, ref) in g or url != "/catalog.ttl"
        assert list(g.objects(ref, SD.kegiatan)) == []
        assert "Survei rahasia" not in g.serialize(format="turtle")


def test_catalog_lists_published_datasets_with_their_fields(app, published):
    _, dataset, resource, kegiatan, indikator = published
    for fmt in FORMATS:
        g = _graph(app, f"/catalog.{fmt}", fmt)
        listed = set(g.objects(URIRef(SITE), DCAT.dataset))
        assert listed == {URIRef(f"{SITE}/dataset/{d['id']}") for d in (dataset, kegiatan, indikator)}
        _assert_scheme(g, dataset, resource, kegiatan, indikator)



def test_linked_records_are_found_by_one_search_among_many(published, monkeypatch):
    """The catalog looks a page's links up in one search that asks for those records only:
    with room for two results, the oldest of the three published records is still found."""
    _, _, _, kegiatan, _ = published
    monkeypatch.setattr(profile, "LINKS_PER_SEARCH", 1)
    found = profile._published_among({kegiatan["name"], "tidak-ada"})
    assert list(found) == [kegiatan["name"]] and found[kegiatan["name"]]["id"] == kegiatan["id"]
