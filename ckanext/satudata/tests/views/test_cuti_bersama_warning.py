"""The Walidata's Dasbor warns when this year or the coming one has no cuti bersama list
(the calendar would count those days as working days). Time set by the calendar's clock."""
from __future__ import annotations

import datetime as dt

import lxml.html
import pytest


from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)
from ckanext.satudata.workflow import calendar

WIB = dt.timezone(dt.timedelta(hours=7))


def warning(app, headers, url="/dashboard/ringkasan"):
    response = app.get(url, headers=headers, follow_redirects=False)
    assert response.status_code == 200
    found = lxml.html.fromstring(response.body).xpath("//*[@data-satudata-cuti-bersama-missing]")
    return (found[0].get("data-satudata-cuti-bersama-missing"),
            " ".join(found[0].text_content().split())) if found else None


def test_the_walidata_is_warned_about_the_coming_year(app, portal, login):  # noqa: F811
    walidata = login(portal.walidata)
    # 2026 and 2027 have shipped lists: nothing to say.
    with calendar.use_clock(dt.datetime(2026, 12, 31, 23, 0, tzinfo=WIB)):
        assert warning(app, walidata) is None
    # In 2027 the coming year, 2028, has none; Indonesian first, English on /en.
    with calendar.use_clock(dt.datetime(2027, 1, 1, 0, 30, tzinfo=WIB)):
        years, text = warning(app, walidata)
        assert years == "2028"
        assert text.startswith("Belum ada daftar cuti bersama untuk 2028")
        assert "ckanext.satudata.holidays" in text
        years, text = warning(app, walidata, "/en/dashboard/ringkasan")
        assert text.startswith("No cuti bersama list for 2028")
    # Years past the lists: this year and the coming one.
    with calendar.use_clock(dt.datetime(2028, 6, 1, 9, 0, tzinfo=WIB)):
        assert warning(app, walidata)[0] == "2028 2029"


def test_the_producer_is_not_warned(app, portal, login):  # noqa: F811
    with calendar.use_clock(dt.datetime(2027, 6, 1, 9, 0, tzinfo=WIB)):
        assert warning(app, login(portal.produsen)) is None


@pytest.mark.ckan_config("ckanext.satudata.holidays", "2028-01-27 2028-03-27")
def test_configured_dates_of_the_year_stand_for_its_list(app, portal, login):  # noqa: F811
    with calendar.use_clock(dt.datetime(2027, 6, 1, 9, 0, tzinfo=WIB)):
        assert warning(app, login(portal.walidata)) is None
