"""The `satudata` RDF profile: this scheme's statistical metadata on top of DCAT-AP 3.

Enabled after `euro_dcat_ap_3` (``ckanext.dcat.rdf.profiles = euro_dcat_ap_3 satudata``),
which writes the DCAT-AP core (title, publisher, distributions…). The mapping
is documented in README.md beside this file.

It parses as it serializes (``parse_dataset``): a downstream running ckanext-dcat's
RDFParser with ``euro_dcat_ap_3 satudata`` gets back every scheme field of the
three dataset types. Fields with a vocabulary term are read from it; the other
scheme fields travel as ``sdf:<field name>`` (value as stored: plain literal for
text, ``rdf:JSON`` for numbers, booleans, lists and rows).
"""
from __future__ import annotations

import json
from typing import Any, Iterable

import ckan.model as model
import ckan.plugins.toolkit as tk
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ckanext.dcat.profiles import RDFProfile
from ckanext.dcat.utils import dataset_uri, resource_uri

from ckanext.satudata import codelists, msvar, wilayah
from ckanext.satudata.dcat.vocab import (ADMS, CSVW, DCAT, DCT, EU_ACCESS_RIGHT, EU_FREQUENCY, FOAF,
                                         PREFIXES, PROV, SD, SDF, SDK, SDMX_ATTRIBUTE,
                                         TABLE_SCHEMA_SPEC, code, eu_code, eu_value, value_of)
from ckanext.satudata.logic.auth import RESTRICTED
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
#: Scheme fields ckanext-dcat's euro_dcat_ap_3 profile carries itself.
CORE_FIELDS = {"title", "name", "notes", "owner_org", "tag_string", "license_id", "maintainer",
               "maintainer_email", "author", "author_email", "url", "version"}
#: Fields parse_dataset reads back from their vocabulary terms, by dataset type; every
#: other non-core scheme field is written (and read) as sdf:<field name> as well.
TERM_FIELDS = {
    "dataset": {"konsep", "definisi", "klasifikasi", "ukuran", "satuan", "sektor", "level_penyajian",
                "frekuensi", "akses", "id_sds", "jadwal_rilis_berikutnya", "data_prioritas",
                "prioritas_tahun", "tahun_data", "kode_wilayah"},
    "kegiatan": {"i_instansi_penyelenggara", "tahun_kegiatan", "jenis_statistik",
                 "cara_pengumpulan_data", "sektor_kegiatan", "iii_tujuan_kegiatan",
                 "identitas_rekomendasi", "iii_jadwal_pengumpulan_data_awal",
                 "iii_jadwal_pengumpulan_data_akhir"},
    "indikator": {"definisi", "interpretasi", "metode_perhitungan", "rumus", "ukuran", "satuan",
                  "id_sds"},
}
# (MS-Ind's konsep list is also written as sdf:konsep: RDF keeps no order of sd:konsep values.)
#: Presets of fields that name other records: only published ones are written.
LINK_PRESETS = {"satudata_dataset_link", "satudata_dataset_links"}
#: Graph attribute holding a catalog page's datasets until their links are looked up.
PAGE = "_satudata_page"
#: Names (or ids) of linked records per search (rows stay under CKAN's search.rows_max).
LINKS_PER_SEARCH = 200
#: Table Schema types → CSVW datatypes (https://www.w3.org/TR/tabular-metadata/#datatypes).
CSVW_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
              "date": "date", "datetime": "dateTime", "time": "time", "year": "gYear",
              "yearmonth": "gYearMonth", "duration": "duration", "object": "json", "array": "json"}
#: The literals every MS-Var column has one of, made once (a page has thousands of columns).
DATATYPE_LITERALS = {key: Literal(value) for key, value in CSVW_TYPES.items()}
REQUIRED_LITERALS = {flag: Literal(flag) for flag in (True, False)}
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
        _bind(self.g)
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
        self._scheme_fields(dataset_dict, dataset_ref)
        licence = _licence_url(dataset_dict)
        if licence:
            self.g.add((dataset_ref, DCT.license, licence))
        for resource in dataset_dict.get("resources", []):
            distribution = URIRef(resource_uri(resource))
            self._table_schema(resource, distribution)
            self._restrict(dataset_dict, resource, distribution, dataset_ref)
            if licence and (distribution, DCT.license, None) not in self.g:
                self.g.add((distribution, DCT.license, licence))

    def parse_dataset(self, dataset_dict, dataset_ref):
        """The scheme fields back from the graph (see the module docstring)."""
        kind = next((value_of(t, "jenis_data") for t in self.g.objects(dataset_ref, DCT.type)
                     if value_of(t, "jenis_data")), None)
        if kind not in TERM_FIELDS:
            return dataset_dict
        dataset_dict["type"] = kind
        if kind == "kegiatan":
            subject = self.g.value(dataset_ref, FOAF.primaryTopic)
            fields = self._parse_kegiatan(subject) if subject is not None else {}
        elif kind == "indikator":
            subject = self.g.value(dataset_ref, FOAF.primaryTopic)
            fields = self._parse_indikator(subject) if subject is not None else {}
        else:
            fields = self._parse_standar_data(dataset_ref)
        for predicate, value in self.g.predicate_objects(dataset_ref):
            if str(predicate).startswith(str(SDF)) and isinstance(value, Literal):
                fields[str(predicate)[len(str(SDF)):]] = _from_literal(value)
        dataset_dict.update(fields)
        if not dataset_dict.get("license_id"):
            dataset_dict["license_id"] = _licence_id(self.g.value(dataset_ref, DCT.license))
        return dataset_dict

    def _parse_standar_data(self, ref) -> dict:
        fields = self._parse_texts(ref, DATASET_TEXT)
        for key, predicate in DATASET_CODES:
            listname = _codelist_of("dataset", key)
            values = [value_of(o, listname) for o in self.g.objects(ref, predicate)]
            values = sorted(v for v in values if v)
            if values:
                fields[key] = values if _is_multiple("dataset", key) else values[0]
        frekuensi = [value_of(o, "frekuensi") for o in self.g.objects(ref, SD.frekuensi)]
        if any(frekuensi):
            fields["frekuensi"] = next(v for v in frekuensi if v)
        access = self.g.value(ref, DCT.accessRights)
        if access is not None and str(access).startswith(str(EU_ACCESS_RIGHT)):
            fields["akses"] = eu_value("akses", str(access)[len(str(EU_ACCESS_RIGHT)):],
                                       "eu_access_right")
        for identifier in self.g.objects(ref, ADMS.identifier):
            notation = self.g.value(identifier, SKOS.notation)
            if notation is not None:
                fields["id_sds"] = str(notation)
        released = self.g.value(ref, SD.jadwalRilisBerikutnya)
        if released is not None:
            fields["jadwal_rilis_berikutnya"] = str(released)
        prioritas = self.g.value(ref, SD.dataPrioritas)
        if prioritas is not None:
            fields["data_prioritas"] = bool(prioritas.toPython())
        year = self.g.value(ref, SD.tahunDataPrioritas)
        if year is not None:
            fields["prioritas_tahun"] = int(str(year))
        years = sorted(int(str(y)) for y in self.g.objects(ref, SD.tahunData))
        if years:
            fields["tahun_data"] = years
        places = sorted(str(self.g.value(place, DCT.identifier))
                        for place in self.g.objects(ref, DCT.spatial)
                        if str(place).startswith(str(SDK["wilayah/"]))
                        and self.g.value(place, DCT.identifier) is not None)
        if places:
            fields["kode_wilayah"] = places
        return fields

    def _parse_kegiatan(self, activity) -> dict:
        fields = {}
        agent = self.g.value(activity, SD.penyelenggara)
        if agent is not None:
            fields["i_instansi_penyelenggara"] = str(agent)
        year = self.g.value(activity, SD.tahunKegiatan)
        if year is not None:
            fields["tahun_kegiatan"] = int(str(year))
        for key, predicate in KEGIATAN_CODES:
            listname = _codelist_of("kegiatan", key)
            values = sorted(v for v in (value_of(o, listname) if listname else str(o)
                                        for o in self.g.objects(activity, predicate)) if v)
            if values:
                fields[key] = values if _is_multiple("kegiatan", key) else values[0]
        for key, predicate in (("iii_tujuan_kegiatan", SD.tujuanKegiatan),
                               ("identitas_rekomendasi", SD.identitasRekomendasi),
                               ("iii_jadwal_pengumpulan_data_awal", PROV.startedAtTime),
                               ("iii_jadwal_pengumpulan_data_akhir", PROV.endedAtTime)):
            value = self.g.value(activity, predicate)
            if value is not None:
                fields[key] = str(value)
        return fields

    def _parse_indikator(self, concept) -> dict:
        fields = self._parse_texts(concept, INDICATOR_TEXT)
        konsep = sorted(str(o) for o in self.g.objects(concept, SD.konsep))
        if konsep:
            fields["konsep"] = konsep
        notation = self.g.value(concept, SKOS.notation)
        if notation is not None:
            fields["id_sds"] = str(notation)
        return fields

    def _parse_texts(self, ref, fields: Iterable[tuple]) -> dict:
        return {key: str(value) for key, predicate in fields
                for value in [self.g.value(ref, predicate)] if value is not None}

    def _scheme_fields(self, d: dict, ref: URIRef) -> None:
        """Every scheme field no term carries, as sdf:<field name> (links: published only)."""
        kind = d.get("type", "dataset")
        for key, field in self._fields(kind).items():
            if key in CORE_FIELDS or key in TERM_FIELDS.get(kind, ()):
                continue
            value = d.get(key)
            if field.get("preset") in LINK_PRESETS:
                names = [n for n in _listed(value) if self._published(n)]
                value = names if isinstance(_loaded(value), list) else (names[0] if names else None)
            if value in (None, "", [], {}):
                continue
            self.g.add((ref, SDF[key], _to_literal(value)))

    def _restrict(self, d: dict, resource: dict, distribution: URIRef, dataset_ref) -> None:
        """A distribution whose data the reader may not read (restricted `akses`)
        keeps its description; access is through the dataset's page only."""
        # Whoever reads a dataset's metadata reads its data unless `akses` restricts it
        # (satudata_resource_data_read); the full check costs queries per resource.
        if d.get("akses") != RESTRICTED or _data_readable(resource.get("id")):
            return
        self.g.remove((distribution, DCAT.downloadURL, None))
        self.g.remove((distribution, DCAT.accessURL, None))
        self.g.add((distribution, DCAT.accessURL, dataset_ref))

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        # Published datasets only: tombstones have their own catalog (tombstone.py).
        _bind(self.g)

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
            # A URI, not a blank node: a plain ckanext-dcat downstream keeps the
            # object of adms:identifier as text (its alternate_identifier extra).
            identifier = SDK[f"sdsn/{d['id_sds']}"]
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
                # sd:kegiatan, not prov:wasGeneratedBy: ckanext-dcat's euro_dcat_ap_3 parser
                # turns the latter into a provenance_activity field that a CKAN without
                # the DCAT scheming schema rejects, and the whole dataset fails to import.
                self.g.add((ref, SD.kegiatan, self._kegiatan(linked)))
                self.g.add((ref, DCT.relation, URIRef(dataset_uri(linked))))
        for name in _listed(d.get("indikator")):
            linked = self._published(name)
            if linked and linked.get("type") == "indikator":
                self.g.add((ref, SD.indikator, self._indikator(linked)))
                self.g.add((ref, DCT.relation, URIRef(dataset_uri(linked))))

    def _published(self, name: str) -> dict | None:
        """A linked record, only if the public may see it (cached for one graph)."""
        cache = self.g.__dict__.setdefault("_satudata_links", {})
        page = self.g.__dict__.pop(PAGE, None)
        if page:
            cache.update(_published_among(_link_names(page)))
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
            self.g.add((node, CSVW.datatype, DATATYPE_LITERALS.get(column.get("type"),
                                                                  DATATYPE_LITERALS["string"])))
            self.g.add((node, CSVW.required, REQUIRED_LITERALS[bool(column.get("wajib_diisi"))]))
            for key, predicate in COLUMN_TEXT:
                if column.get(key) not in (None, ""):
                    self.g.add((node, predicate, Literal(str(column[key]))))
            if column.get("value_domain"):
                self.g.add((node, SD.domainNilai, Literal(column["value_domain"])))
            if column.get("id_sds"):
                self.g.add((node, SKOS.notation, Literal(column["id_sds"])))
        # The rdf:List of the columns, the triples rdflib's Collection writes (which
        # searches and removes before it adds: ≈ 8 % of a catalog page).
        head = BNode()
        self.g.add((schema, CSVW.column, head))
        for i, node in enumerate(nodes):
            rest = BNode() if i + 1 < len(nodes) else RDF.nil
            self.g.add((head, RDF.first, node))
            self.g.add((head, RDF.rest, rest))
            head = rest

    # -- shared ---------------------------------------------------------------------

    def _texts(self, d: dict, ref: URIRef, fields: Iterable[tuple]) -> None:
        for key, predicate in fields:
            if d.get(key) not in (None, ""):
                self.g.add((ref, predicate, Literal(str(d[key]))))

    def _codes(self, d: dict, ref: URIRef, fields: Iterable[tuple], dataset_type: str = "dataset") -> None:
        for key, predicate in fields:
            listname = self._fields(d.get("type") or dataset_type).get(key, {}).get("codelist")
            for value in _listed(d.get(key)):
                self.g.add((ref, predicate, self._concept(listname, value) if listname
                            else Literal(str(value))))

    def _fields(self, dataset_type: str) -> dict[str, dict]:
        """The scheming fields of DATASET_TYPE by name, looked up once a graph (a catalog
        page asked the scheming helper about 6 times a dataset)."""
        cache = self.g.__dict__.setdefault("_satudata_fields", {})
        if dataset_type not in cache:
            cache[dataset_type] = _schema_fields(dataset_type)
        return cache[dataset_type]

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


def _bind(g) -> None:
    """The vocabulary's prefixes, bound once a graph (not once a dataset of a page)."""
    if not g.__dict__.get("_satudata_bound"):
        for prefix, namespace in PREFIXES.items():
            g.bind(prefix, namespace)
        g.__dict__["_satudata_bound"] = True


def catalog_page(g, datasets: list[dict]) -> None:
    """Let the profile know the datasets of a catalog page (logic/dcat.py): the records
    they link to are then looked up in one search, not one package_show each."""
    g.__dict__[PAGE] = datasets


def _link_names(datasets: list[dict]) -> set[str]:
    names, fields = set(), {}
    for d in datasets:
        kind = d.get("type", "dataset")
        if kind not in fields:
            fields[kind] = _schema_fields(kind).values()
        for field in fields[kind]:
            if field.get("preset") in LINK_PRESETS:
                names.update(str(n) for n in _listed(d.get(field["field_name"])))
    return names


def _published_among(names: set[str]) -> dict[str, dict]:
    """The catalog's own search (published records only, as the datasets of the page)
    for NAMES, by name and id. A name not found is left to _published's own check."""
    found: dict[str, dict] = {}
    names_list = sorted(names)
    for start in range(0, len(names_list), LINKS_PER_SEARCH):
        quoted = " OR ".join(json.dumps(n) for n in names_list[start:start + LINKS_PER_SEARCH])
        result = tk.get_action("package_search")({}, {
            # "+": package_search appends its own +capacity/+state clauses to fq.
            "fq": f"+(name:({quoted}) OR id:({quoted}))", "rows": LINKS_PER_SEARCH * 2})
        for record in result["results"]:
            found[record["name"]] = found[record["id"]] = record
    return {name: found[name] for name in names if name in found}


def _to_literal(value: Any) -> Literal:
    if isinstance(value, str):
        return Literal(value)
    return Literal(json.dumps(value, ensure_ascii=False, sort_keys=True), datatype=RDF.JSON)


def _from_literal(value: Literal) -> Any:
    if value.datatype == RDF.JSON:
        return json.loads(str(value))
    return str(value)


def _licence_url(d: dict) -> URIRef | None:
    """The dataset's licence, else the portal's default (ckanext.satudata.dcat.default_license)."""
    licence_id = d.get("license_id") or tk.config.get("ckanext.satudata.dcat.default_license")
    if not licence_id:
        return None
    licence = model.Package.get_license_register().get(licence_id)
    url = (d.get("license_url") if d.get("license_id") else None) or (licence.url if licence else None)
    return URIRef(url) if url else None


def _licence_id(url) -> str:
    if url is None:
        return ""
    for licence_id, licence in model.Package.get_license_register().items():
        if licence.url and licence.url == str(url):
            return licence_id
    return ""


def _schema_fields(dataset_type: str) -> dict[str, dict]:
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    return {field["field_name"]: field for field in schema.get("dataset_fields", [])}


def _is_multiple(dataset_type: str, field_name: str) -> bool:
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == field_name:
            return field.get("preset") in ("satudata_multiple", "multiple_select", "multiple_checkbox")
    return False


def _codelist_of(dataset_type: str, field_name: str) -> str | None:
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    for field in schema.get("dataset_fields", []):
        if field["field_name"] == field_name:
            return field.get("codelist")
    return None
