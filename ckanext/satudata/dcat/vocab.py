"""RDF namespaces and code URIs of the satudata DCAT output (see README.md here)."""
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import Namespace

from ckanext.dcat import profiles as dcat_profiles

from ckanext.satudata import codelists


class Vocabulary(Namespace):
    """A Namespace whose named terms (``CSVW.Column``) are made once.

    rdflib makes a new URIRef, and checks it, on every attribute access: about
    17,000 a catalog page. Terms made from data (``SDK["wilayah/35"]``) are not kept.
    """

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term  # found by ordinary lookup from now on
        return term


CSVW = Vocabulary("http://www.w3.org/ns/csvw#")
PROV = Vocabulary("http://www.w3.org/ns/prov#")
SDMX_ATTRIBUTE = Vocabulary("http://purl.org/linked-data/sdmx/2009/attribute#")
HYDRA = Vocabulary("http://www.w3.org/ns/hydra/core#")
#: Terms no established vocabulary has (Indonesian SDI/BPS metadata). One vocabulary
#: for every Satu Data portal, so harvesters of several regions read the same terms.
SD = Vocabulary("https://w3id.org/satudata/def#")
#: The scheme's own field names (``sdf:iii_tujuan_kegiatan``): fields no term above carries,
#: so a Satu Data downstream gets every field back (profile.py parse_dataset).
SDF = Vocabulary("https://w3id.org/satudata/field#")
#: Concepts of schemas/codelists.yaml: <SDK>{codelist}/{value}; regions: <SDK>wilayah/{kode}.
SDK = Vocabulary("https://w3id.org/satudata/kode/")

#: ckanext-dcat's namespaces, the same IRIs.
ADMS, DCAT, DCT, FOAF = (Vocabulary(str(ns)) for ns in (
    dcat_profiles.ADMS, dcat_profiles.DCAT, dcat_profiles.DCT, dcat_profiles.FOAF))

EU_FREQUENCY = Vocabulary("http://publications.europa.eu/resource/authority/frequency/")
EU_ACCESS_RIGHT = Vocabulary("http://publications.europa.eu/resource/authority/access-right/")
EU_DATASET_STATUS = Vocabulary("http://publications.europa.eu/resource/authority/dataset-status/")
#: The Frictionless Table Schema specification: what a distribution's schema conforms to.
TABLE_SCHEMA_SPEC = URIRef("https://specs.frictionlessdata.io/table-schema/")

PREFIXES = {"csvw": CSVW, "prov": PROV, "sdmx-attribute": SDMX_ATTRIBUTE, "sd": SD, "sdf": SDF,
            "sdk": SDK}


def code(codelist: str, value: str) -> URIRef:
    return SDK[f"{codelist}/{value}"]


def value_of(concept, codelist: str) -> str | None:
    """The codelist value of an sdk: concept URI (None for another URI)."""
    prefix = str(SDK[f"{codelist}/"])
    return str(concept)[len(prefix):] if str(concept).startswith(prefix) else None


def eu_value(codelist: str, eu: str, key: str) -> str | None:
    """The codelist value whose EU authority code under KEY is EU (the first one)."""
    for entry in codelists.values(codelist):
        if entry.get(key) == eu:
            return str(entry["value"])
    return None


def eu_code(codelist: str, value: str, key: str) -> str | None:
    """The EU authority code recorded for VALUE under KEY in codelists.yaml."""
    for entry in codelists.values(codelist):
        if str(entry["value"]) == str(value):
            return entry.get(key)
    return None
