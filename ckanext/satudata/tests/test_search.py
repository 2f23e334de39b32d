"""Search goes through the real Solr core that `make test` starts."""
import pytest

from ckan.tests import factories, helpers

from ckanext.satudata.tests.factories import create_data_sektoral


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestPackageSearchUsesSolr:
    def test_created_dataset_is_found(self):
        org = factories.Organization(name="dinas-kesehatan")
        create_data_sektoral(org["id"], name="cakupan-imunisasi",
                             title="Cakupan Imunisasi Dasar Lengkap menurut Kecamatan",
                             konsep="Imunisasi dasar lengkap", definisi="Bayi dengan IDL")
        create_data_sektoral(org["id"], name="jumlah-sekolah", title="Jumlah Sekolah menurut Jenjang",
                             konsep="Sekolah", definisi="Satuan pendidikan formal")

        result = helpers.call_action("package_search", q="imunisasi kecamatan")

        assert result["count"] == 1
        assert result["results"][0]["name"] == "cakupan-imunisasi"

    def test_facet_counts_come_from_the_index(self):
        dinkes = factories.Organization(name="dinas-kesehatan")
        disdik = factories.Organization(name="dinas-pendidikan")
        for n in range(3):
            create_data_sektoral(dinkes["id"], title=f"Data kesehatan {n}")
        create_data_sektoral(disdik["id"], title="Data pendidikan")

        result = helpers.call_action(
            "package_search", **{"facet.field": ["organization"], "rows": 0})

        assert result["search_facets"]["organization"]["items"] and {
            item["name"]: item["count"]
            for item in result["search_facets"]["organization"]["items"]
        } == {"dinas-kesehatan": 3, "dinas-pendidikan": 1}

    def test_deleted_dataset_leaves_the_index(self):
        sysadmin = factories.Sysadmin()
        dataset = create_data_sektoral(factories.Organization()["id"])
        helpers.call_action("package_delete", {"user": sysadmin["name"]}, id=dataset["id"])

        assert helpers.call_action("package_search", q="penduduk")["count"] == 0
