"""Surat Permintaan Data: the Walidata's letter asking one OPD for its sectoral data.

SOP step 1 (Walidata lists the sectoral data to collect and sends a data
request to each producer): one letter per OPD from the Daftar Data Sektoral.

Signature (stable; the Daftar Data Sektoral pages call it)::

    render(walidata: dict, opd: dict, period: str, entries: list[dict],
           number: str | None = None, date=None) -> bytes

- ``walidata``: the Walidata's organization dict (``organization_show``): its
  ``title``, ``alamat``, ``telepon``, ``email``, ``faksimile`` and an uploaded
  ``image_url`` make the letterhead.
- ``opd``: the addressed OPD's organization dict (``title``, else ``name``).
- ``period``: the period asked for, as text (``"2027"``, ``"Triwulan I 2027"``).
- ``entries``: one dict per dataset asked for: ``title`` (str); ``hints``
  (str or list of str, optional: free text, the standar data reference,
  satuan, frekuensi); ``due_date`` (date, datetime, ISO string or None).
- ``number``: the letter's number (nomor surat); dotted blank when None.
- ``date``: the letter's date (date/datetime/ISO); today in the portal's time
  zone when None.

Returns the PDF's bytes. All text is escaped; nothing is fetched.
"""
from __future__ import annotations

from typing import Any

from ckanext.satudata.documents import layout

BLANK = "…………………………"


def _hints(entry: dict[str, Any]) -> str:
    hints = entry.get("hints")
    if isinstance(hints, (list, tuple)):
        return "\n".join(layout.clean(h) for h in hints if layout.clean(h))
    return layout.clean(hints)


def _entries_table(entries: list[dict[str, Any]], width: float):
    from reportlab.lib.units import cm

    st = layout.styles()
    rows = [[layout.para(h, st["small_bold"]) for h in ("No", "Data", "Keterangan", "Batas waktu")]]
    for i, entry in enumerate(entries, 1):
        due = entry.get("due_date", entry.get("due"))
        rows.append([layout.para(str(i), st["small"]),
                     layout.para(entry.get("title"), st["small"]),
                     layout.para(_hints(entry), st["small"]),
                     layout.para(layout.tanggal(due) or "-", st["small"])])
    fixed = 1.0 * cm + 3.2 * cm
    rest = width - fixed
    return layout.grid(rows, [1.0 * cm, rest * 0.48, rest * 0.52, 3.2 * cm])


def render(walidata: dict, opd: dict, period: str, entries: list[dict],
           number: str | None = None, date=None) -> bytes:
    """The Surat Permintaan Data addressed to OPD for PERIOD, as PDF bytes (see the module doc)."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table, TableStyle

    st = layout.styles()
    width = layout.text_width()
    walidata_name = layout.clean(walidata.get("title") or walidata.get("name"))
    opd_name = layout.clean(opd.get("title") or opd.get("name"))
    period = layout.clean(period)
    when = layout.tanggal(date) if date is not None else ""
    when = when or layout.tanggal(layout.today())

    story = layout.letterhead(walidata, width)
    story.append(layout.para(when, st["right"]))
    story.append(Spacer(1, 6))
    meta = Table([[layout.para(k, st["left"]), layout.para(":", st["left"]), layout.para(v, st["left"])]
                  for k, v in (("Nomor", layout.clean(number) or BLANK),
                               ("Lampiran", "1 (satu) berkas"),
                               ("Perihal", f"Permintaan Data Sektoral Periode {period}"))],
                 colWidths=[2.2 * cm, 0.4 * cm, width - 2.6 * cm])
    meta.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story += [meta, Spacer(1, 12),
              layout.para("Kepada Yth.", st["left"]),
              layout.para(f"Kepala {opd_name}", st["left"], bold=True),
              layout.para("di tempat", st["left"]),
              Spacer(1, 12),
              layout.para(
                  "Dalam rangka penyelenggaraan Satu Data Indonesia sebagaimana diatur dalam "
                  "Peraturan Presiden Nomor 39 Tahun 2019, kami selaku Walidata meminta "
                  f"{opd_name} sebagai Produsen Data untuk menyampaikan data sektoral periode "
                  f"{period} beserta metadatanya melalui portal Satu Data, sesuai daftar berikut "
                  "dan paling lambat pada batas waktu yang tercantum.", st["body"]),
              Spacer(1, 8)]
    if entries:
        story.append(_entries_table(entries, width))
    else:
        story.append(layout.para("(Tidak ada data yang diminta.)", st["left"]))
    story += [Spacer(1, 10),
              layout.para(
                  "Data yang terlambat tidak dapat dimasukkan ke dalam basis data dan menunda "
                  "periode publikasi. Demikian permintaan ini kami sampaikan; atas perhatian dan "
                  "kerja samanya kami ucapkan terima kasih.", st["body"]),
              Spacer(1, 18)]
    sign = [layout.para("Walidata", st["center"]),
            layout.para(walidata_name, st["center"], bold=True),
            Spacer(1, 48),
            layout.para("(" + BLANK + ")", st["center"])]
    block = Table([["", sign]], colWidths=[width * 0.45, width * 0.55])
    block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(block)
    return layout.build(story, title=f"Surat Permintaan Data {period} — {opd_name}",
                        author=walidata_name)
