"""The `satudata` RDF profile: this scheme's statistical metadata on top of DCAT-AP 3.

Enabled after `euro_dcat_ap_3` (``ckanext.dcat.rdf.profiles = euro_dcat_ap_3 satudata``),
which writes the DCAT-AP core (title, publisher, distributions…). The mapping
is documented in README.md beside this file.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

import ckan.model as model
import ckan.plugins.toolkit as tk
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ckanext.dcat.profiles import ADMS, DCAT, DCT, FOAF, RDFProfile
from ckanext.dcat.utils import dataset_uri, resource_uri

from ckanext.satudata import codelists, msvar, wilayah
from ckanext.satudata.dcat import tombstone
from ckanext.satudata.dcat.vocab import (CSVW, EU_ACCESS_RIGHT, EU_FREQUENCY, PREFIXES, PROV,
                                         SD, SDK, SDMX_ATTRIBUTE, TABLE_SCHEMA_SPEC, code, eu_code)
from ckanext.satudata.workflow import service

#: Free-text fields of the standar data and of MS-Ind → predicate.
DATASET_TEXT = (
    ("konsep", SD.konsep),
    ("definisi", SKOS.definition),
    ("klasifikasi", SD.klasifikasi),
    ("ukuran", SD.ukuran),
    ("satuan", SDMX_ATTRIBUTE.unitMeasure),
)
INDICATOR_TEXT = (
    ("definisi", SKOS.definition),
    ("interpretasi", SKOS.scopeNote),
    ("metode_perhitungan", SD.metodePerhitungan),
    ("rumus", SD.rumus),
    ("ukuran", SD.ukuran),
    ("satuan", SDMX_ATTRIBUTE.unitMeasure),
)
#: Coded fields (codelist read from the scheming schema) → predicate.
DATASET_CODES = (("sektor", DCAT.theme), ("level_penyajian", SD.levelPenyajian))
KEGIATAN_CODES = (
    ("jenis_statistik", SD.jenisStatistik),
    ("cara_pengumpulan_data", SD.caraPengumpulanData),
    ("sektor_kegiatan", DCAT.theme),
)
#: Table Schema types → CSVW datatypes (https://www.w3.org/TR/tabular-metadata/#datatypes).
CSVW_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
              "date": "date", "datetime": "dateTime", "time": "time", "year": "gYear",
              "yearmonth": "gYearMonth", "duration": "duration", "object": "json", "array": "json"}
#: MS-Var keys of a column (msvar.MSVAR_KEYS) → predicate.
COLUMN_TEXT = (
    ("konsep", SD.konsep),
    ("ukuran", SD.ukuran),
    ("satuan", SDMX_ATTRIBUTE.unitMeasure),
    ("klasifikasi_rujukan", SD.klasifikasiRujukan),
    ("referensi_waktu", SD.referensiWaktu),
    ("referensi_pemilihan", SD.referensiPemilihan),
    ("aturan_validasi", SD.aturanValidasi),
    ("kalimat_pertanyaan", SD.kalimatPertanyaan),
    ("alias", SKOS.altLabel),
)


def _loaded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _listed(value: Any) -> list:
    value = _loaded(value)
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def _true(value: Any) -> bool | None:
    if value in (None, ""):
        return None
    return value is True or str(value).lower() in ("true", "1", "ya", "yes")


def _data_readable(resource_id: str | None) -> bool:
    """The rule of logic/auth.py satudata_resource_data_read, for the requesting user
    (anonymous outside a request: a catalog written by a command is public)."""
    try:
        user = tk.current_user.name if tk.current_user.is_authenticated else ""
    except (AttributeError, RuntimeError):
        user = ""
    try:
        tk.check_access("satudata_resource_data_read", {"user": user}, {"id": resource_id})
    except tk.NotAuthorized:
        return False
    return True


class SatudataProfile(RDFProfile):
    """SDI/BPS statistical metadata: standar data, MS-Keg, MS-Ind, MS-Var, withdrawals."""

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        for prefix, namespace in PREFIXES.items():
            self.g.bind(prefix, namespace)
        kind = dataset_dict.get("type", "dataset")
        self.g.add((dataset_ref, DCT.type, code("jenis_data", kind)))
        if kind == "kegiatan":
            self.g.add((dataset_ref, FOAF.primaryTopic, self._kegiatan(dataset_dict)))
        elif kind == "indikator":
            self.g.add((dataset_ref, FOAF.primaryTopic, self._indikator(dataset_dict)))
        else:
            self._standar_data(dataset_dict, dataset_ref)
            self._links(dataset_dict, dataset_ref)
        self._time_and_place(dataset_dict, dataset_ref)
        for resource in dataset_dict.get("resources", []):
            distribution = URIRef(resource_uri(resource))
            self._table_schema(resource, distribution)
            self._restrict(resource, distribution, dataset_ref)

    def _restrict(self, resource: dict, distribution: URIRef, dataset_ref) -> None:
        """A distribution whose data the reader may not read (restricted `akses`)
        keeps its description; access is through the dataset's page only."""
        if _data_readable(resource.get("id")):
            return
        self.g.remove((distribution, DCAT.downloadURL, None))
        self.g.remove((distribution, DCAT.accessURL, None))
        self.g.add((distribution, DCAT.accessURL, dataset_ref))

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        for prefix, namespace in PREFIXES.items():
            self.g.bind(prefix, namespace)
        for record in (catalog_dict or {}).get("satudata_tombstones", []):
            self.g.add((catalog_ref, DCAT.dataset, tombstone.add(self.g, record)))

    # -- data sektoral -------------------------------------------------------------

    def _standar_data(self, d: dict, ref: URIRef) -> None:
        self._texts(d, ref, DATASET_TEXT)
        self._codes(d, ref, DATASET_CODES)
        frekuensi = d.get("frekuensi")
        eu = frekuensi and eu_code("frekuensi", frekuensi, "eu_frequency")
        if eu:
            self.g.add((ref, DCT.accrualPeriodicity, EU_FREQUENCY[eu]))
        if frekuensi:
            self.g.add((ref, SD.frekuensi, self._concept("frekuensi", frekuensi)))
        access = d.get("akses") and eu_code("akses", d["akses"], "eu_access_right")
        if access:
            self.g.add((ref, DCT.accessRights, EU_ACCESS_RIGHT[access]))
        if d.get("id_sds"):
            identifier = BNode()
            self.g.add((ref, ADMS.identifier, identifier))
            self.g.add((identifier, RDF.type, ADMS.Identifier))
            self.g.add((identifier, SKOS.notation, Literal(d["id_sds"])))
            self.g.add((identifier, ADMS.schemaAgency, Literal("Badan Pusat Statistik")))
        if d.get("jadwal_rilis_berikutnya"):
            self.g.add((ref, SD.jadwalRilisBerikutnya,
                        Literal(str(d["jadwal_rilis_berikutnya"])[:10], datatype=XSD.date)))
        prioritas = _true(d.get("data_prioritas"))
        if prioritas is not None:
            self.g.add((ref, SD.dataPrioritas, Literal(prioritas)))
        if prioritas and d.get("prioritas_tahun"):
            self.g.add((ref, SD.tahunDataPrioritas, Literal(str(d["prioritas_tahun"]), datatype=XSD.gYear)))

    def _time_and_place(self, d: dict, ref: URIRef) -> None:
        years = sorted({int(y) for y in _listed(d.get("tahun_data") or d.get("tahun_kegiatan"))
                        if str(y).isdigit()})
        for year in years:
            self.g.add((ref, SD.tahunData, Literal(str(year), datatype=XSD.gYear)))
        if years:
            period = BNode()
            self.g.add((ref, DCT.temporal, period))
            self.g.add((period, RDF.type, DCT.PeriodOfTime))
            self.g.add((period, DCAT.startDate, Literal(f"{years[0]}-01-01", datatype=XSD.date)))
            self.g.add((period, DCAT.endDate, Literal(f"{years[-1]}-12-31", datatype=XSD.date)))
        for kode in _listed(d.get("kode_wilayah")):
            place = SDK[f"wilayah/{kode}"]
            self.g.add((ref, DCT.spatial, place))
            self.g.add((place, RDF.type, DCT.Location))
            self.g.add((place, DCT.identifier, Literal(str(kode))))
            nama = wilayah.name(kode)
            if nama:
                self.g.add((place, SKOS.prefLabel, Literal(nama, lang="id")))

    # -- links to MS-Keg and MS-Ind --------------------------------------------------

    def _links(self, d: dict, ref: URIRef) -> None:
        for name in _listed(d.get("kegiatan")):
            linked = self._published(name)
            if linked and linked.get("type") == "kegiatan":
                self.g.add((ref, PROV.wasGeneratedBy, self._kegiatan(linked)))
                self.g.add((ref, DCT.relation, URIRef(dataset_uri(linked))))
        for name in _listed(d.get("indikator")):
            linked = self._published(name)
            if linked and linked.get("type") == "indikator":
                self.g.add((ref, SD.indikator, self._indikator(linked)))
                self.g.add((ref, DCT.relation, URIRef(dataset_uri(linked))))

    def _published(self, name: str) -> dict | None:
        """A linked record, only if the public may see it (cached for one graph)."""
        cache = self.g.__dict__.setdefault("_satudata_links", {})
        if name not in cache:
            pkg = model.Package.get(name)
            cache[name] = None
            if pkg is not None and pkg.state == "active" and service.is_public(pkg):
                cache[name] = tk.get_action("package_show")(
                    {"ignore_auth": True, "for_view": False}, {"id": pkg.id})
        return cache[name]

    def _kegiatan(self, k: dict) -> URIRef:
        """MS-Keg summary: the statistical activity as a prov:Activity."""
        activity = URIRef(dataset_uri(k) + "#kegiatan")
        if (activity, RDF.type, PROV.Activity) in self.g:
            return activity
        self.g.add((activity, RDF.type, PROV.Activity))
        self.g.add((activity, RDF.type, SD.KegiatanStatistik))
        self.g.add((activity, DCT.title, Literal(k.get("title", ""))))
        self.g.add((activity, RDFS.seeAlso, URIRef(dataset_uri(k))))
        if k.get("notes"):
            self.g.add((activity, DCT.description, Literal(k["notes"])))
        if k.get("i_instansi_penyelenggara"):
            agent = BNode()
            self.g.add((activity, PROV.wasAssociatedWith, agent))
            self.g.add((agent, RDF.type, FOAF.Organization))
            self.g.add((agent, FOAF.name, Literal(k["i_instansi_penyelenggara"])))
            self.g.add((activity, SD.penyelenggara, Literal(k["i_instansi_penyelenggara"])))
        if k.get("tahun_kegiatan"):
            self.g.add((activity, SD.tahunKegiatan, Literal(str(k["tahun_kegiatan"]), datatype=XSD.gYear)))
        self._codes(k, activity, KEGIATAN_CODES, dataset_type="kegiatan")
        frekuensi = k.get("iv_frekuensi_penyelenggaraan")
        eu = frekuensi and eu_code("frekuensi", frekuensi, "eu_frequency")
        if eu:
            self.g.add((activity, DCT.accrualPeriodicity, EU_FREQUENCY[eu]))
        for key, predicate in (("iii_tujuan_kegiatan", SD.tujuanKegiatan),
                               ("identitas_rekomendasi", SD.identitasRekomendasi)):
            if k.get(key):
                self.g.add((activity, predicate, Literal(k[key])))
        for key, predicate in (("iii_jadwal_pengumpulan_data_awal", PROV.startedAtTime),
                               ("iii_jadwal_pengumpulan_data_akhir", PROV.endedAtTime)):
            if k.get(key):
                self.g.add((activity, predicate, Literal(str(k[key])[:10], datatype=XSD.date)))
        return activity

    def _indikator(self, i: dict) -> URIRef:
        """MS-Ind: the indicator as a skos:Concept with its definition, formula and unit."""
        concept = URIRef(dataset_uri(i) + "#indikator")
        if (concept, RDF.type, SD.Indikator) in self.g:
            return concept
        self.g.add((concept, RDF.type, SD.Indikator))
        self.g.add((concept, RDF.type, SKOS.Concept))
        self.g.add((concept, SKOS.prefLabel, Literal(i.get("title", ""))))
        self.g.add((concept, RDFS.seeAlso, URIRef(dataset_uri(i))))
        self._texts(i, concept, INDICATOR_TEXT)
        for konsep in _listed(i.get("konsep")):
            self.g.add((concept, SD.konsep, Literal(str(konsep))))
        if i.get("id_sds"):
            self.g.add((concept, SKOS.notation, Literal(i["id_sds"])))
        return concept

    # -- MS-Var ------------------------------------------------------------------

    def _table_schema(self, resource: dict, distribution: URIRef) -> None:
        columns = msvar.variables(_loaded(resource.get("schema")))
        if not columns:
            return
        schema = BNode()
        self.g.add((distribution, DCT.conformsTo, TABLE_SCHEMA_SPEC))
        self.g.add((distribution, CSVW.tableSchema, schema))
        self.g.add((schema, RDF.type, CSVW.Schema))
        nodes = []
        for column in columns:
            node = BNode()
            nodes.append(node)
            self.g.add((node, RDF.type, CSVW.Column))
            self.g.add((node, CSVW.name, Literal(column["name"])))
            if column.get("title"):
                self.g.add((node, CSVW.title, Literal(column["title"])))
            if column.get("description"):
                self.g.add((node, DCT.description, Literal(column["description"])))
            self.g.add((node, CSVW.datatype, Literal(CSVW_TYPES.get(column.get("type"), "string"))))
            self.g.add((node, CSVW.required, Literal(bool(column.get("wajib_diisi")))))
            for key, predicate in COLUMN_TEXT:
                if column.get(key) not in (None, ""):
                    self.g.add((node, predicate, Literal(str(column[key]))))
            if column.get("value_domain"):
                self.g.add((node, SD.domainNilai, Literal(column["value_domain"])))
            if column.get("id_sds"):
                self.g.add((node, SKOS.notation, Literal(column["id_sds"])))
        head = BNode()
        self.g.add((schema, CSVW.column, head))
        Collection(self.g, head, nodes)

    # -- shared ---------------------------------------------------------------------

    def _texts(self, d: dict, ref: URIRef, fields: Iterable[tuple]) -> None:
        for key, predicate in fields:
            if d.get(key) not in (None, ""):
                self.g.add((ref, predicate, Literal(str(d[key]))))

    def _codes(self, d: dict, ref: URIRef, fields: Iterable[tuple], dataset_type: str = "dataset") -> None:
        for key, predicate in fields:
            listname = _codelist_of(d.get("type") or dataset_type, key)
            for value in _listed(d.get(key)):
                self.g.add((ref, predicate, self._concept(listname, value) if listname
                            else Literal(str(value))))

    def _concept(self, listname: str, value: str) -> URIRef:
        concept = code(listname, value)
        if (concept, RDF.type, SKOS.Concept) not in self.g:
            self.g.add((concept, RDF.type, SKOS.Concept))
            self.g.add((concept, SKOS.notation, Literal(str(value))))
            self.g.add((concept, SKOS.inScheme, SDK[listname]))
            for lang in ("id", "en"):
                self.g.add((concept, SKOS.prefLabel, Literal(codelists.label(listname, str(value), lang),
                                                             lang=lang)))
        return concept


def _codelist_of(dataset_type: str, field_name: str) -> str | None:
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == field_name:
            return field.get("codelist")
    return None
