"""The portal's own chart of a table (public/chart.py) as drawn, and the resource
page around it: readable at phone width, and no "no views yet" above it."""
from __future__ import annotations

import lxml.etree
import lxml.html
import pytest

from ckan.tests import helpers

from ckanext.satudata.public import chart

SVG = "{http://www.w3.org/2000/svg}"


def _drawing(data: dict):
    return lxml.etree.fromstring(str(chart.svg(data, "Judul")))


def _labels(drawing, phone: bool) -> list:
    """The <text> shown at a width: on a phone, those not marked minor (satudata.css)."""
    return [t for t in drawing.iter(f"{SVG}text")
            if not (phone and "satudata-chart-minor" in (t.get("class") or ""))]


def _spans(texts, font: float) -> list[tuple[float, float, float]]:
    """(baseline, left, right) of each label at FONT, as chart.py estimates widths."""
    spans = []
    for t in texts:
        half = chart._text_width(t.text, font) / 2
        spans.append((float(t.get("y")), float(t.get("x")) - half, float(t.get("x")) + half))
    return spans


class TestLineChart:
    # Ten years of district totals: seven-digit values, as the demo's population.
    YEARS = {"kind": "year", "measure": "jumlah", "x": "tahun", "aggregate": "sum",
             "points": [[str(2014 + n), 1_650_000 + 10_000 * n] for n in range(10)]}

    @pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
    def test_labels_shown_do_not_overlap_and_stay_inside(self, phone):
        drawing = _drawing(self.YEARS)
        assert "satudata-line" in drawing.get("class")
        font = chart.LINE_PHONE_FONT if phone else chart.LINE_FONT
        spans = _spans(_labels(drawing, phone), font)
        assert spans
        for baseline in {s[0] for s in spans}:
            row = sorted(s[1:] for s in spans if s[0] == baseline)
            assert all(a[1] <= b[0] for a, b in zip(row, row[1:])), (phone, row)
        width = float(drawing.get("viewBox").split()[2])
        assert all(0 <= left and right <= width for _b, left, right in spans), spans

    def test_every_point_keeps_its_year_and_value(self):
        drawing = _drawing(self.YEARS)
        titles = [c.find(f"{SVG}title").text for c in drawing.iter(f"{SVG}circle")]
        assert titles[0] == "2014: 1.650.000" and titles[-1] == "2023: 1.740.000"
        assert len(titles) == 10

    def test_few_points_keep_every_label_on_a_phone(self):
        three = dict(self.YEARS, points=self.YEARS["points"][:3])
        texts = [t.text for t in _labels(_drawing(three), phone=True)]
        assert texts == ["1.650.000", "2014", "1.660.000", "2015", "1.670.000", "2016"]


class TestRegionChart:
    def test_names_above_their_bars_across_the_width(self):
        data = {"kind": "region", "measure": "jumlah", "x": "kecamatan", "aggregate": "sum",
                "points": [["Kecamatan Tungkal Ilir Seberang", 58958], ["Bangil", 14716]]}
        drawing = _drawing(data)
        assert "satudata-bars" in drawing.get("class")
        width = float(drawing.get("viewBox").split()[2])
        for group in drawing.iter(f"{SVG}g"):
            name, value = group.findall(f"{SVG}text")
            bar = group.find(f"{SVG}rect")
            assert float(name.get("x")) == 0 and float(name.get("y")) < float(bar.get("y"))
            # the name fits the drawing's width at the phone's size
            assert chart._text_width(name.text, chart.BARS_PHONE_FONT) <= width
            right = float(value.get("x")) + chart._text_width(value.text, chart.BARS_PHONE_FONT)
            assert right <= width


def _page(app, url: str, token: str | None = None):
    response = app.get(url, headers={"Authorization": token} if token else None)
    assert response.status_code == 200, (url, response.status_code)
    return lxml.html.fromstring(response.body)


class TestResourcePage:
    @pytest.mark.parametrize("prefix", ["", "/en"])
    def test_no_views_message_not_above_the_portals_chart(self, app, world, prefix):
        doc = _page(app, f"{prefix}/dataset/{world.published['name']}/resource/{world.resource['id']}")
        assert doc.xpath("//figure[@data-satudata-chart]")
        assert doc.xpath("//*[contains(@class, 'data-viewer-info')]") == []

    def test_a_file_without_the_portals_data_still_says_it_has_no_view(self, app, world):
        produsen = world.portal.produsen["name"]
        pdf = helpers.call_action("resource_create", {"user": produsen},
                                  package_id=world.draft["id"], name="Laporan",
                                  url="https://example.org/laporan.pdf", format="PDF")
        token = helpers.call_action("api_token_create", user=produsen, name="t")["token"]
        base = f"/dataset/{world.draft['name']}/resource/"
        doc = _page(app, base + pdf["id"], token)
        assert doc.xpath("//*[contains(@class, 'data-viewer-info')]")
        doc = _page(app, base + world.draft_resource["id"], token)
        assert doc.xpath("//figure[@data-satudata-chart]")
        assert doc.xpath("//*[contains(@class, 'data-viewer-info')]") == []
