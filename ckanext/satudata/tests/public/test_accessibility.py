"""Accessibility basics of the main public pages, read from their HTML: one
h1, a name for every form control, alt text on every image, a skip link to
the main content. (Keyboard navigation in a real browser: tests/browser.)"""
from __future__ import annotations

import lxml.html
import pytest

PAGES = {
    "landing": "/",
    "landing (en)": "/en/",
    "search": "/dataset/",
    "search with a facet": "/dataset/?vocab_sektor=DEMOGRAFI_DAN_KEPENDUDUKAN",
    "dataset": "/dataset/penduduk-terbit",
    "dataset (en)": "/en/dataset/penduduk-terbit",
    "resource": None,  # filled from the world
    "organizations": "/organization/",
    "login": "/user/login",
}


def problems(doc) -> list[str]:
    found = []
    h1 = doc.xpath("//h1")
    if len(h1) != 1:
        found.append(f"{len(h1)} h1: {[' '.join(h.text_content().split()) for h in h1]}")
    labelled = set(doc.xpath("//label/@for"))
    for control in doc.xpath("//input | //select | //textarea"):
        if control.get("type") in ("hidden", "submit", "button", "image", "reset"):
            continue
        if (control.get("id") in labelled or control.get("aria-label") or control.get("aria-labelledby")
                or control.xpath("ancestor::label")):
            continue
        found.append(f"unlabelled {control.tag} name={control.get('name')!r} id={control.get('id')!r}")
    for img in doc.xpath("//img[not(@alt)]"):
        found.append(f"img without alt: {img.get('src')}")
    skip = doc.xpath("(//a[@href])[1]")
    if not skip or skip[0].get("href") != "#content":
        found.append("the first link is not the skip link to #content")
    if not doc.xpath("//*[@id='content']"):
        found.append("no #content target for the skip link")
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_main_pages_meet_the_basics(app, world, name):
    url = PAGES[name] or f"/dataset/penduduk-terbit/resource/{world.resource['id']}"
    response = app.get(url)
    assert response.status_code == 200, url
    assert problems(lxml.html.fromstring(response.body)) == [], url


def test_the_check_catches_what_it_should():
    doc = lxml.html.fromstring(
        "<html><body><a href='/x'>x</a><h1>a</h1><h1>b</h1><input name='q'><img src='i.png'></body></html>")
    assert problems(doc) == ["2 h1: ['a', 'b']", "unlabelled input name='q' id=None",
                             "img without alt: i.png", "the first link is not the skip link to #content",
                             "no #content target for the skip link"]
