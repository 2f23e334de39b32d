"""Search goes through the real Solr core that `make test` starts."""
import pytest

from ckan.tests import factories, helpers


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestPackageSearchUsesSolr:
    def test_created_dataset_is_found(self):
        org = factories.Organization(name="dinas-kesehatan")
        factories.Dataset(
            name="cakupan-imunisasi",
            title="Cakupan Imunisasi Dasar Lengkap menurut Kecamatan",
            owner_org=org["id"],
        )
        factories.Dataset(name="jumlah-sekolah", title="Jumlah Sekolah menurut Jenjang",
                          owner_org=org["id"])

        result = helpers.call_action("package_search", q="imunisasi kecamatan")

        assert result["count"] == 1
        assert result["results"][0]["name"] == "cakupan-imunisasi"

    def test_facet_counts_come_from_the_index(self):
        dinkes = factories.Organization(name="dinas-kesehatan")
        disdik = factories.Organization(name="dinas-pendidikan")
        for n in range(3):
            factories.Dataset(owner_org=dinkes["id"], title=f"Data kesehatan {n}")
        factories.Dataset(owner_org=disdik["id"], title="Data pendidikan")

        result = helpers.call_action(
            "package_search", **{"facet.field": ["organization"], "rows": 0})

        assert result["search_facets"]["organization"]["items"] and {
            item["name"]: item["count"]
            for item in result["search_facets"]["organization"]["items"]
        } == {"dinas-kesehatan": 3, "dinas-pendidikan": 1}

    def test_deleted_dataset_leaves_the_index(self):
        sysadmin = factories.Sysadmin()
        dataset = factories.Dataset(title="Penduduk menurut kecamatan",
                                    owner_org=factories.Organization()["id"])
        helpers.call_action("package_delete", {"user": sysadmin["name"]}, id=dataset["id"])

        assert helpers.call_action("package_search", q="penduduk")["count"] == 0
