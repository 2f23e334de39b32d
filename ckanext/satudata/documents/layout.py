"""The letter every document shares: page, fonts, letterhead (kop surat), safe text.

Official letters are Indonesian whatever the reader's page language, so dates
are written with the ``id`` locale here (``15 Januari 2027``) in the portal's
time zone. Text from users (titles, notes) is escaped before it reaches
ReportLab's Paragraph markup and long words are split, so a hostile title can
not break the document. The font is Bitstream Vera, which ships inside the
ReportLab wheel (a system DejaVu is not part of the project's files): it covers
Latin-1 and common punctuation; a glyph it lacks prints as a box, never fails.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
from typing import Any, Iterable
from xml.sax.saxutils import escape

from babel.dates import format_date

LOCALE = "id"
FONT = "SatudataSans"
FONT_BOLD = "SatudataSans-Bold"

_fonts_registered = False
# Control characters (but tab/newline) are no text a letter can print.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def register_fonts() -> None:
    """Register the TTF family once per process (ReportLab keeps a global registry)."""
    global _fonts_registered
    if _fonts_registered:
        return
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    faces = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf",
             FONT + "-Italic": "VeraIt.ttf", FONT + "-BoldItalic": "VeraBI.ttf"}
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT + "-Italic")
    addMapping(FONT, 1, 1, FONT + "-BoldItalic")
    _fonts_registered = True


def styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14,
                          splitLongWords=True, alignment=TA_JUSTIFY)
    return {
        "body": base,
        "left": ParagraphStyle("left", parent=base, alignment=0),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=11.5, alignment=0),
        "small_bold": ParagraphStyle("small_bold", parent=base, fontName=FONT_BOLD,
                                     fontSize=9, leading=11.5, alignment=0),
        "head_org": ParagraphStyle("head_org", parent=base, fontName=FONT_BOLD, fontSize=14,
                                   leading=17, alignment=TA_CENTER),
        "head_line": ParagraphStyle("head_line", parent=base, fontSize=9, leading=11.5,
                                    alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=13,
                                leading=17, alignment=TA_CENTER, spaceAfter=2),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


def clean(value: Any) -> str:
    """VALUE as plain printable text ('' for None)."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value)).strip()


def markup(value: Any) -> str:
    """VALUE escaped for Paragraph markup; line breaks kept."""
    return escape(clean(value)).replace("\r\n", "\n").replace("\n", "<br/>")


def para(value: Any, style, bold: bool = False):
    from reportlab.platypus import Paragraph

    text = markup(value)
    return Paragraph(f"<b>{text}</b>" if bold and text else text, style)


def _local(value: Any) -> dt.datetime | dt.date | None:
    from ckanext.satudata.public import formatting

    moment = formatting.parse(value)
    if isinstance(moment, dt.datetime):
        return moment.astimezone(formatting.timezone())
    return moment


def tanggal(value: Any) -> str:
    """``15 Januari 2027`` (a moment is read in the portal's time zone); '' if unreadable."""
    moment = _local(value)
    if moment is None:
        return ""
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    return format_date(day, "d MMMM y", locale=LOCALE)


def waktu(value: Any) -> str:
    """``15 Januari 2027 09.30 WIB``; a bare date as tanggal()."""
    moment = _local(value)
    if not isinstance(moment, dt.datetime):
        return tanggal(value)
    return f"{tanggal(moment)} {moment.strftime('%H.%M')} {moment.tzname()}"


def today() -> dt.date:
    from ckanext.satudata.public import formatting

    return dt.datetime.now(formatting.timezone()).date()


def logo_path(org: dict[str, Any]) -> str | None:
    """The file of ORG's logo if it was uploaded to this portal; None for a remote URL.

    A remote image is never fetched (a letter must not make the server call
    out); an uploaded one is a bare file name under CKAN's group uploads.
    """
    name = clean(org.get("image_url"))
    if not name or "://" in name or name.startswith("//"):
        return None
    from ckan.lib.uploader import get_storage_path

    storage = get_storage_path()
    if not storage:
        return None
    path = os.path.join(storage, "storage", "uploads", "group", os.path.basename(name))
    return path if os.path.isfile(path) else None


def _logo(org: dict[str, Any], size: float):
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    path = logo_path(org)
    if not path:
        return None
    try:
        width, height = ImageReader(path).getSize()
    except Exception:  # an unreadable or non-image upload: the letter goes without a logo
        return None
    if not width or not height:
        return None
    scale = size / max(width, height)
    return Image(path, width=width * scale, height=height * scale)


def letterhead(org: dict[str, Any], width: float) -> list:
    """Kop surat: logo, the organization's name, address and contacts, a double rule."""
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import HRFlowable, Table, TableStyle

    st = styles()
    lines = [para(clean(org.get("title") or org.get("name")).upper(), st["head_org"])]
    if clean(org.get("alamat")):
        lines.append(para(org.get("alamat"), st["head_line"]))
    contacts = [f"{label} {clean(org.get(key))}" for key, label in
                (("telepon", "Telepon"), ("faksimile", "Faksimile"), ("email", "Email"))
                if clean(org.get(key))]
    if contacts:
        lines.append(para(" · ".join(contacts), st["head_line"]))
    logo = _logo(org, 2.0 * cm)
    if logo is not None:
        head = Table([[logo, lines, ""]], colWidths=[2.4 * cm, width - 4.8 * cm, 2.4 * cm])
    else:
        head = Table([[lines]], colWidths=[width])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [head,
            HRFlowable(width="100%", thickness=2, color=colors.black, spaceBefore=4, spaceAfter=1),
            HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=10)]


def grid(rows: list[list], widths: Iterable[float], header_rows: int = 1):
    """A bordered table whose rows may split across pages (a long note never overflows a page)."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=list(widths), repeatRows=header_rows, splitInRow=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8e8e8")),
    ]))
    return table


def build(story: list, title: str, author: str = "") -> bytes:
    """STORY on A4 pages numbered at the foot; the PDF's bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Halaman {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2 * cm,
                            topMargin=1.8 * cm, bottomMargin=2 * cm,
                            title=clean(title), author=clean(author), creator="Satu Data")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def text_width() -> float:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    return A4[0] - 4.5 * cm
