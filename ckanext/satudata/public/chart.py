"""A simple chart where the data allows it: a series by year, else values by region.

The data decides: a year column with two or more years gives a line of the
measure per year (summed over the rows of a year, or averaged for rates and
percentages); one year and a region column gives a bar per region. The chart
is inline SVG built here, so it needs no JavaScript and prints.
"""
from __future__ import annotations

from html import escape
from typing import Any

from markupsafe import Markup

from ckanext.satudata.public import formatting, tabular

MAX_ROWS = 5000  # a chart reads at most this many rows of a file
MAX_BARS = 40
YEAR_NAMES = ("tahun", "year", "tahun_data")
REGION_NAMES = ("kecamatan", "desa", "kelurahan", "desa_kelurahan", "kabupaten", "kabupaten_kota",
                "kota", "provinsi", "wilayah", "nama_wilayah", "region")
RATE_PREFIXES = ("persentase", "persen", "rasio", "rata", "angka", "indeks", "tingkat", "proporsi")


def _numeric(header, body, skip) -> list[int]:
    cols = []
    for i, name in enumerate(header):
        if i in skip:
            continue
        values = [r[i] for r in body if r[i] is not None]
        if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            cols.append(i)
    return cols


def data(resource: dict) -> dict[str, Any] | None:
    """{kind: 'year'|'region', measure, label, points: [[x, y], …]} or None."""
    if not tabular.kind(resource):
        return None
    try:
        header, rows = tabular.records(resource, MAX_ROWS)
        body = list(rows)
    except (OSError, tabular.NotTabular, ValueError, tabular.Unreadable):
        return None  # the preview beside the chart says why the file is not read
    if not body:
        return None
    lower = [h.lower() for h in header]
    types = tabular.field_types(resource)
    year = next((i for i, h in enumerate(lower) if h in YEAR_NAMES or types.get(header[i]) == "year"), None)
    region = next((i for i, h in enumerate(lower) if h in REGION_NAMES), None)
    measures = _numeric(header, body, {year, region})
    if not measures:
        return None
    measure = next((i for i in measures if lower[i].startswith("jumlah")), measures[0])
    average = lower[measure].startswith(RATE_PREFIXES)
    years = sorted({r[year] for r in body if r[year] is not None}, key=str) if year is not None else []
    if len(years) >= 2:
        kind, key = "year", year
    elif region is not None:
        kind, key = "region", region
    else:
        return None
    groups: dict[Any, list[float]] = {}
    for r in body:
        if r[key] is not None and r[measure] is not None:
            groups.setdefault(r[key], []).append(r[measure])
    points = [[str(k), round(sum(v) / len(v), 2) if average else sum(v)] for k, v in groups.items()]
    if kind == "year":
        points.sort(key=lambda p: p[0])
    points = points[:MAX_BARS]
    return {"kind": kind, "measure": header[measure], "x": header[key],
            "aggregate": "mean" if average else "sum", "points": points}


def _fmt(v: float) -> str:
    return formatting.number(v, 2)


# Text sizes in the drawing's units, as satudata.css sets them: the drawings
# scale with the page, so a phone shows a 640-unit line chart at about half
# size and its text must double to stay readable.
LINE_FONT, LINE_PHONE_FONT = 12, 24
BARS_FONT, BARS_PHONE_FONT = 12, 16


def _text_width(text: str, font: float) -> float:
    """About how wide TEXT runs at FONT (digits and Latin letters average ~0.62 em)."""
    return len(text) * 0.62 * font


def _every(step: float, widest: float, at_least: int = 1) -> int:
    """Every how many points a label fits beside the next: a multiple of
    AT_LEAST, so that a label kept at the smaller size is kept at this one too."""
    n = at_least
    while n * step < widest + 8:
        n += at_least
    return n


def svg(chart: dict, title: str) -> Markup:
    """The chart as accessible inline SVG (role=img, <title>, a value on every mark).

    A region chart puts each name on its own line above its bar (as the EPSS
    chart), so names and bars keep the whole width on a phone. A line chart
    labels each point with its value and year; where the labels would run into
    each other, some are left out (they stay in the point's <title>), fewer at
    desktop size, more on a phone (class satudata-chart-minor, hidden there)."""
    points = chart["points"]
    top = max((p[1] for p in points), default=0) or 1
    parts = ['<svg role="img" aria-labelledby="satudata-chart-title" '
             'xmlns="http://www.w3.org/2000/svg"']
    if chart["kind"] == "region":
        width, bar, label_h, gap = 420, 16, 20, 8
        value_w = max((_text_width(_fmt(v), BARS_PHONE_FONT) for _l, v in points), default=0) + 6
        height = len(points) * (label_h + bar + gap) + 2
        parts.append(f' class="satudata-chart satudata-bars" viewBox="0 0 {width} {height}" width="100%">')
        parts.append(f'<title id="satudata-chart-title">{escape(title)}</title>')
        for n, (label, value) in enumerate(points):
            y = n * (label_h + bar + gap)
            w = max(1.0, (width - value_w) * value / top)
            parts.append(
                f'<g><text x="0" y="{y + 15}">{escape(label)}</text>'
                f'<rect x="0" y="{y + label_h}" width="{w:.1f}" height="{bar}" rx="2">'
                f'<title>{escape(label)}: {_fmt(value)}</title></rect>'
                f'<text x="{w + 4:.1f}" y="{y + label_h + bar - 3}">{_fmt(value)}</text></g>')
    else:
        width, height, left, bottom, pad = 640, 260, 20, 40, 30
        step = (width - 2 * left - 2 * pad) / max(1, len(points) - 1)
        xy = [(left + pad + n * step, height - bottom - (height - bottom - 30) * v / top)
              for n, (_, v) in enumerate(points)]
        texts = [(_fmt(v), escape(label)) for label, v in points]
        widest = max((len(t) for pair in texts for t in pair), default=0)
        every = _every(step, _text_width("0" * widest, LINE_FONT)) if len(points) > 1 else 1
        every_phone = _every(step, _text_width("0" * widest, LINE_PHONE_FONT), every) \
            if len(points) > 1 else 1
        parts.append(f' class="satudata-chart satudata-line" viewBox="0 0 {width} {height}" width="100%">')
        parts.append(f'<title id="satudata-chart-title">{escape(title)}</title>')
        parts.append(f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width - left}" '
                     f'y2="{height - bottom}"/>')
        parts.append('<polyline points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy) + '"/>')
        for n, ((value, label), (x, y)) in enumerate(zip(texts, xy)):
            parts.append(f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="4">'
                         f'<title>{label}: {value}</title></circle>')
            if n % every == 0:
                minor = ' class="satudata-chart-minor"' if n % every_phone else ""
                for text, ty in ((value, y - 10), (label, height - bottom + 22)):
                    # kept inside the drawing at the phone's size (the first and last values)
                    half = _text_width(text, LINE_PHONE_FONT) / 2 + 2
                    tx = min(max(x, half), width - half) if half * 2 < width else width / 2
                    parts.append(f'<text{minor} x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle">'
                                 f'{text}</text>')
            parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def is_year(column: str) -> bool:
    """Whether a column holds years (shown as 2023, never grouped as 2.023)."""
    return str(column).strip().lower() in YEAR_NAMES


def stacked_bars(bars: list[tuple[str, list[float]]], series: list[tuple[str, str]],
                 title: str, chart_id: str) -> Markup:
    """Horizontal stacked bars as inline SVG: one bar per (label, [value per series]),
    SERIES as (name, CSS class) in stacking order; each label on its own line above
    its bar (the bars keep the whole width on a phone), the bar's total at its end,
    each piece titled with its series and value. The legend is the page's (HTML
    wraps on a narrow screen, SVG text would shrink), and the table beside it
    carries the same numbers."""
    width, bar, label_h, gap, total_w = 420, 16, 20, 8, 36
    top = max((sum(values) for _label, values in bars), default=0) or 1
    height = len(bars) * (label_h + bar + gap) + 2
    parts = [f'<svg class="satudata-chart satudata-stacked" role="img" '
             f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="100%">',
             f'<title id="{chart_id}-title">{escape(title)}</title>']
    for n, (label, values) in enumerate(bars):
        y = n * (label_h + bar + gap)
        parts.append(f'<g><text x="0" y="{y + 15}">{escape(label)}</text>')
        left = 0.0
        for value, (name, css) in zip(values, series):
            if value:
                w = (width - total_w) * value / top
                parts.append(f'<rect class="{css}" x="{left:.1f}" y="{y + label_h}" '
                             f'width="{w:.1f}" height="{bar}"><title>{escape(name)}: '
                             f'{_fmt(value)}</title></rect>')
                left += w
        parts.append(f'<text x="{left + 4:.1f}" y="{y + label_h + bar - 4}">'
                     f'{_fmt(sum(values))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
