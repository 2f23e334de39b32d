"""BPS recommendations (Romantik): which kegiatan need one, the letter on the kegiatan,
and the workflow gates that hold a kegiatan back while a needed recommendation is
missing.

The rule is data (romantik.yaml). The recommendation itself lives on the
kegiatan: ``rekomendasi_dari_bps``, its number ``identitas_rekomendasi`` and
date ``tanggal_rekomendasi`` (schemas/kegiatan.yaml), and the letter as a
resource of type ``surat_rekomendasi`` (an uploaded PDF). A resource and not a
field of its own, so that the letter is stored by CKAN's resource uploader,
downloaded through CKAN's resource download (read by exactly those who read the
kegiatan), edited only in the states whose ``editors`` may edit the kegiatan,
and copied by staged revisions like any file.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import magic
import yaml

import ckan.model as model
import ckan.plugins.toolkit as tk

RULES = Path(__file__).with_name("romantik.yaml")
#: ``resource_type`` of the recommendation letter on a kegiatan.
LETTER = "surat_rekomendasi"
#: A PDF file starts with this (ISO 32000-1, 7.5.2); python-magic confirms the rest.
_PDF_MAGIC = b"%PDF-"

_ = tk._


@functools.lru_cache(maxsize=None)
def _rules() -> list[dict]:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))["needs_recommendation"]


def _matches(value, wanted) -> bool:
    return value in wanted if isinstance(wanted, list) else value == wanted


def needs_recommendation(kegiatan: dict) -> bool:
    if kegiatan.get("type") != "kegiatan":
        return False
    return any(all(_matches(kegiatan.get(k), v) for k, v in rule.items()) for rule in _rules())


def letter(kegiatan: dict) -> dict | None:
    """The kegiatan's recommendation letter (its resource dict), None if it has none."""
    found = [r for r in kegiatan.get("resources") or [] if r.get("resource_type") == LETTER]
    return found[-1] if found else None


def missing(kegiatan: dict) -> list[str]:
    """What of a recommendation the kegiatan lacks, as people read it: the number, the
    date, the letter ([] when it has all three)."""
    given = kegiatan.get("rekomendasi_dari_bps")
    parts = []
    if not (given is True or str(given).lower() == "true") or not str(
            kegiatan.get("identitas_rekomendasi") or "").strip():
        parts.append(_("the recommendation number"))
    if not str(kegiatan.get("tanggal_rekomendasi") or "").strip():
        parts.append(_("the recommendation date"))
    if letter(kegiatan) is None:
        parts.append(_("the recommendation letter (PDF)"))
    return parts


def has_recommendation(kegiatan: dict) -> bool:
    return not missing(kegiatan)


def gate(dataset: dict) -> list[str]:
    """Workflow gate ``rekomendasi_bps``: a kegiatan that needs BPS's recommendation
    has one (number, date and letter) before it goes on; other records pass."""
    if not needs_recommendation(dataset):
        return []
    lacking = missing(dataset)
    if not lacking:
        return []
    return [_("This activity needs a BPS recommendation (Romantik); still missing: {missing}")
            .format(missing=", ".join(lacking))]


def gate_needed(dataset: dict) -> list[str]:
    """Workflow gate ``perlu_rekomendasi``: the path through BPS's recommendation
    (Pasuruan SOP steps 2-6) is for a kegiatan that needs one (romantik.yaml)."""
    if dataset.get("type") != "kegiatan" or needs_recommendation(dataset):
        return []
    return [_("This activity needs no BPS recommendation under BPS's rules; report its "
              "metadata to the data steward instead")]


# ------------------------------------------------------------------ the letter's file


def max_bytes() -> int:
    return tk.config.get("ckanext.satudata.rekomendasi.max_size_mb") * 1024 * 1024


def check_letter(context: dict, resource: dict, package_id: str | None = None,
                 was_letter: bool = False) -> None:
    """Refuse a ``surat_rekomendasi`` resource that is not an uploaded PDF within the
    size limit on a kegiatan (IResourceController hooks, before anything is stored).
    WAS_LETTER: an update of a resource that is the letter already (another file does
    not become the letter by changing its type).

    The file is judged by its content: the PDF header and python-magic's reading of
    the first bytes; the name and the declared type are not trusted.
    """
    if resource.get("resource_type") != LETTER:
        return
    pkg = model.Package.get(package_id or resource.get("package_id") or "")
    if pkg is None or pkg.type != "kegiatan":
        raise tk.ValidationError({"resource_type": [
            _("A recommendation letter belongs to a statistical activity (kegiatan)")]})
    upload = resource.get("upload")
    stream = getattr(upload, "stream", None)
    if stream is None:
        if was_letter and resource.get("url_type") == "upload" and not resource.get("clear_upload"):
            return  # an update of a letter that keeps its file (checked when uploaded)
        raise tk.ValidationError({"upload": [_("Upload the recommendation letter as a PDF file")]})
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    head = stream.read(2048)
    stream.seek(0)
    if size > max_bytes():
        raise tk.ValidationError({"upload": [
            _("The recommendation letter is larger than {limit} MB, the most accepted").format(
                limit=tk.config.get("ckanext.satudata.rekomendasi.max_size_mb"))]})
    if not head.startswith(_PDF_MAGIC) or magic.from_buffer(head, mime=True) != "application/pdf":
        raise tk.ValidationError({"upload": [
            _("The recommendation letter must be a PDF file; this file is not one")]})
    resource["format"] = "PDF"
    resource["mimetype"] = "application/pdf"
