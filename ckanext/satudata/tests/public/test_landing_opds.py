"""The landing page lists every OPD, however many (CKAN's organization_list
with all_fields stops at 25)."""
from __future__ import annotations

import lxml.html

from ckan.tests import factories


def test_all_opds_are_listed_by_title(app, clean_db, clean_index):
    for n in range(30):
        factories.Organization(name=f"opd-{n:02d}", title=f"Dinas Uji {n:02d}")
    doc = lxml.html.fromstring(app.get("/").body)
    listed = [" ".join(a.text_content().split())
              for a in doc.xpath("//section[contains(@class, 'satudata-opds')]//li/a")]
    assert listed == [f"Dinas Uji {n:02d}" for n in range(30)]
