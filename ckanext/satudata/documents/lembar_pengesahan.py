"""Lembar Pengesahan: a dataset's approval sheet, each level's sign-off from its trail.

``render(walidata, sheet, printed=None) -> bytes``: WALIDATA is the Walidata's
organization dict (the letterhead), SHEET what ``trail.sheet`` collects
(``title``, ``organization``, ``id_sds``, ``workflow``, ``state`` and
``levels``: ``[{name, position, organization, role, moment, decision,
from_state, to_state, comment, field_notes: [{target, note}]}]``), PRINTED the
moment it is printed (now when None). All text is escaped; nothing is fetched.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ckanext.satudata.documents import layout


def _facts(sheet: dict[str, Any], width: float):
    from reportlab.lib.units import cm
    from reportlab.platypus import Table, TableStyle

    st = layout.styles()
    rows = [("Judul data", sheet.get("title")),
            ("Produsen Data (OPD)", sheet.get("organization")),
            ("Kode referensi (SDSN)", sheet.get("id_sds") or "-"),
            ("Alur pemeriksaan", sheet.get("workflow")),
            ("Status saat ini", sheet.get("state"))]
    table = Table([[layout.para(k, st["left"]), layout.para(":", st["left"]),
                    layout.para(v, st["left"], bold=k == "Judul data")] for k, v in rows],
                  colWidths=[4.2 * cm, 0.4 * cm, width - 4.6 * cm])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _who(level: dict[str, Any], st) -> list:
    cells = [layout.para(level.get("name"), st["small"], bold=True)]
    if level.get("position"):
        cells.append(layout.para(level["position"], st["small"]))
    if level.get("organization"):
        cells.append(layout.para(level["organization"], st["small"]))
    if level.get("role") and level.get("role") != level.get("position"):
        cells.append(layout.para(f"sebagai {layout.clean(level['role'])}", st["small"]))
    return cells


def _notes(level: dict[str, Any], st) -> list:
    cells = []
    if layout.clean(level.get("comment")):
        cells.append(layout.para(level["comment"], st["small"]))
    for note in level.get("field_notes") or []:
        cells.append(layout.para(f"• {layout.clean(note.get('target'))}: "
                                 f"{layout.clean(note.get('note'))}", st["small"]))
    return cells or [layout.para("-", st["small"])]


def _levels(levels: list[dict[str, Any]], width: float):
    from reportlab.lib.units import cm

    st = layout.styles()
    rows = [[layout.para(h, st["small_bold"])
             for h in ("No", "Nama dan jabatan", "Tanggal dan waktu", "Keputusan", "Catatan")]]
    for i, level in enumerate(levels, 1):
        decision = [layout.para(level.get("decision"), st["small"], bold=True)]
        if level.get("to_state"):
            # "→" is no glyph of the bundled font: the new state in words
            decision.append(layout.para(f"Status menjadi: {layout.clean(level['to_state'])}",
                                        st["small"]))
        rows.append([layout.para(str(i), st["small"]), _who(level, st),
                     layout.para(layout.waktu(level.get("moment")), st["small"]),
                     decision, _notes(level, st)])
    fixed = [0.8 * cm, 4.6 * cm, 3.0 * cm, 3.4 * cm]
    return layout.grid(rows, fixed + [width - sum(fixed)])


def render(walidata: dict, sheet: dict, printed=None) -> bytes:
    """The Lembar Pengesahan of SHEET as PDF bytes (see the module doc)."""
    from reportlab.platypus import Spacer

    st = layout.styles()
    width = layout.text_width()
    printed = printed or dt.datetime.now(dt.timezone.utc)
    story = layout.letterhead(walidata, width)
    story += [layout.para("LEMBAR PENGESAHAN", st["title"]),
              layout.para("Pemeriksaan dan persetujuan data sektoral", st["center"]),
              Spacer(1, 12), _facts(sheet, width), Spacer(1, 12)]
    levels = sheet.get("levels") or []
    if levels:
        story.append(_levels(levels, width))
    else:
        story.append(layout.para("Belum ada tahap pemeriksaan yang tercatat.", st["left"]))
    story += [Spacer(1, 12), layout.para(
        "Lembar ini disusun dari jejak audit alur pemeriksaan di portal Satu Data: setiap "
        "tahap tercatat secara elektronik atas nama akun yang mengambilnya. "
        f"Dicetak pada {layout.waktu(printed)}.", st["small"])]
    return layout.build(story, title=f"Lembar Pengesahan — {layout.clean(sheet.get('title'))}",
                        author=layout.clean(walidata.get("title") or walidata.get("name")))
