"""Search goes through the real Solr core that `make test` starts."""
import contextlib

import pytest
from sqlalchemy import event

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.factories import create_data_sektoral
from ckanext.satudata.tests.workflow.conftest import Portal
from ckanext.satudata.workflow import display


def search(**params):
    """package_search as a sysadmin, unpublished datasets included."""
    return helpers.call_action("package_search", {"user": factories.Sysadmin()["name"]},
                               include_private=True, **params)


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestPackageSearchUsesSolr:
    def test_created_dataset_is_found(self):
        org = factories.Organization(name="dinas-kesehatan")
        create_data_sektoral(org["id"], name="cakupan-imunisasi",
                             title="Cakupan Imunisasi Dasar Lengkap menurut Kecamatan",
                             konsep="Imunisasi dasar lengkap", definisi="Bayi dengan IDL")
        create_data_sektoral(org["id"], name="jumlah-sekolah", title="Jumlah Sekolah menurut Jenjang",
                             konsep="Sekolah", definisi="Satuan pendidikan formal")

        result = search(q="imunisasi kecamatan")

        assert result["count"] == 1
        assert result["results"][0]["name"] == "cakupan-imunisasi"

    def test_facet_counts_come_from_the_index(self):
        dinkes = factories.Organization(name="dinas-kesehatan")
        disdik = factories.Organization(name="dinas-pendidikan")
        for n in range(3):
            create_data_sektoral(dinkes["id"], title=f"Data kesehatan {n}")
        create_data_sektoral(disdik["id"], title="Data pendidikan")

        result = search(**{"facet.field": ["organization"], "rows": 0})

        assert result["search_facets"]["organization"]["items"] and {
            item["name"]: item["count"]
            for item in result["search_facets"]["organization"]["items"]
        } == {"dinas-kesehatan": 3, "dinas-pendidikan": 1}

    def test_deleted_dataset_leaves_the_index(self):
        sysadmin = factories.Sysadmin()
        dataset = create_data_sektoral(factories.Organization()["id"])
        helpers.call_action("package_delete", {"user": sysadmin["name"]}, id=dataset["id"])

        assert search(q="penduduk")["count"] == 0


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestSchemeFacets:
    def _facets(self, **params):
        result = search(rows=0, fq="dataset_type:dataset", **{
            "facet.field": ["vocab_sektor", "vocab_tahun", "vocab_frekuensi", "vocab_kelengkapan",
                            "organization"]}, **params)
        return {name: {i["name"]: i["count"] for i in facet["items"]}
                for name, facet in result["search_facets"].items()}

    def test_sector_year_frequency_opd_and_completeness_counts(self):
        dinkes = factories.Organization(name="dinas-kesehatan")
        disdik = factories.Organization(name="dinas-pendidikan")
        kegiatan = sd.create(sd.kegiatan(dinkes["id"]))["name"]
        create_data_sektoral(dinkes["id"], sektor="KESEHATAN", tahun_data=[2022, 2023],
                             kegiatan=kegiatan)
        create_data_sektoral(dinkes["id"], sektor="KESEHATAN", tahun_data=[2023],
                             frekuensi="BULANAN", maintainer="", maintainer_email="")
        create_data_sektoral(disdik["id"], sektor="PENDIDIKAN_DAN_PELATIHAN", tahun_data=[2021],
                             kegiatan=kegiatan)

        facets = self._facets()

        assert facets["vocab_sektor"] == {"KESEHATAN": 2, "PENDIDIKAN_DAN_PELATIHAN": 1}
        assert facets["vocab_tahun"] == {"2021": 1, "2022": 1, "2023": 2}
        assert facets["vocab_frekuensi"] == {"TAHUNAN": 2, "BULANAN": 1}
        assert facets["organization"] == {"dinas-kesehatan": 2, "dinas-pendidikan": 1}
        # The second misses its contact person, e-mail and kegiatan link.
        assert facets["vocab_kelengkapan"] == {"100": 2, "80-99": 1}

    def test_filtering_by_a_facet(self):
        org = factories.Organization()
        create_data_sektoral(org["id"], name="data-2021", tahun_data=[2021])
        create_data_sektoral(org["id"], name="data-2023", tahun_data=[2023])

        found = search(fq='vocab_tahun:"2023"')

        assert [d["name"] for d in found["results"]] == ["data-2023"]

    def test_msvar_columns_and_repeating_fields_are_searchable(self):
        org = factories.Organization()
        create_data_sektoral(org["id"], name="dengan-variabel", resources=[{
            "url": "http://127.0.0.1:9/a.csv", "format": "CSV",
            "variabel": [{"name": "puskesmas_pembantu", "title": "Puskesmas pembantu"}]}])

        assert search(q="puskesmas_pembantu")["count"] == 1


def test_wilayah_search_action_is_public(app):
    result = app.get("/api/3/action/satudata_wilayah_search",
                     query_string={"q": "pasuruan"}).json["result"]
    assert [w["kode"] for w in result[:2]] == ["35.14", "35.75"]
    children = app.get("/api/3/action/satudata_wilayah_search",
                       query_string={"parent": "35", "limit": 50}).json["result"]
    assert len(children) == 38 and all(c["kode"].startswith("35.") for c in children)


@contextlib.contextmanager
def sql_statements():
    """The SQL statements the block sends to the database."""
    engine = model.Session.get_bind()
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues")
class TestSearchCostsNoQueryPerResult:
    """A search page asks the database the same number of times for 2 results as
    for 8: states come from the index, links are checked for the page at once."""

    @pytest.fixture
    def portal(self):
        portal = Portal()
        kegiatan = sd.create(sd.kegiatan(portal.opd["id"]), portal.produsen["name"])
        self.datasets = [sd.create(sd.data_sektoral(portal.opd["id"], kegiatan=kegiatan["id"],
                                                    title=f"Penduduk kecamatan {n}"),
                                   portal.produsen["name"]) for n in range(8)]
        for dataset in self.datasets[:3]:  # the Walidata sees these three
            portal.reach(dataset, "diperiksa_walidata")
        return portal

    def _search(self, user, **params):
        return helpers.call_action("package_search", {"user": user["name"], "ignore_auth": False},
                                   include_private=True, fq="dataset_type:dataset", **params)

    @pytest.mark.parametrize("who", ["produsen", "walidata"])
    def test_statements_do_not_grow_with_the_results(self, portal, who):
        user = getattr(portal, who)
        self._search(user, rows=1)  # lookups a warm process has made already
        counts, found = {}, {}
        for rows in (1, 8):
            model.Session.remove()
            with sql_statements() as sent:
                found[rows] = self._search(user, rows=rows, sort="name asc")["results"]
            counts[rows] = len(sent)
        assert [len(found[1]), len(found[8])] == [1, 8 if who == "produsen" else 3]
        assert counts[1] == counts[8], counts

    def test_results_carry_the_state_the_database_has(self, portal):
        found = self._search(portal.produsen, rows=20)["results"]
        states = {d["id"]: d["satudata_state"] for d in found}
        assert {states[d["id"]] for d in self.datasets[:3]} == {"diperiksa_walidata"}
        assert {states[d["id"]] for d in self.datasets[3:]} == {"draf"}
        # A link to a dataset that is not published is not shown in a search result.
        assert not any(d.get("kegiatan") for d in found)

    def test_a_document_without_the_state_gets_it_from_the_database(self, portal):
        results = [{"id": self.datasets[0]["id"], "type": "dataset"},
                   {"id": self.datasets[5]["id"], "type": "dataset"}]
        display.add_states(results)
        assert [r["satudata_state"] for r in results] == ["diperiksa_walidata", "draf"]

    def test_a_step_changes_the_state_in_the_index_at_once(self, portal):
        portal.reach(self.datasets[0], "direview_pembina")
        found = self._search(portal.produsen, q=f'id:"{self.datasets[0]["id"]}"')["results"]
        assert [d["satudata_state"] for d in found] == ["direview_pembina"]
