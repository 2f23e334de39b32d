"""Every badge a person reads is drawn by CSS the portal ships, readable.

Bootstrap's .badge is white text with no background of its own: a badge
whose colour class is missing from the shipped CSS (text-bg-* of Bootstrap
5.2+, while CKAN 2.11 ships 5.1) is white on white. The pages are rendered
through the real app; each badge's classes are looked up in CKAN's main.css
and the portal's satudata.css, and the text/background contrast computed
(WCAG 2: at least 4.5:1).
"""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

import ckan
from ckan.tests import helpers

from ckanext.satudata.tests import factories as sd
from ckanext.satudata.tests.views.test_workflow import _make_overdue, act  # noqa: F401
from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)

CSS_FILES = [
    Path(ckan.__file__).parent / "public" / "base" / "css" / "main.css",
    Path(__file__).resolve().parents[2] / "assets" / "satudata.css",
]


_COMPOUND = r"[a-z][a-z0-9]*(?:\.[\w-]+)*|(?:\.[\w-]+)+"


class Rule:
    def __init__(self, selector: str, declarations: dict[str, tuple[str, bool]], order: int):
        # ".status-success span.badge" -> [(None, {"status-success"}), ("span", {"badge"})]
        self.parts = [(re.match(r"[a-z0-9]*", part).group() or None,
                       set(re.findall(r"\.([\w-]+)", part))) for part in selector.split()]
        self.specificity = sum(len(c) * 10 + bool(t) for t, c in self.parts)
        self.declarations, self.order = declarations, order

    @staticmethod
    def _is(element, part) -> bool:
        tag, classes = part
        return (tag in (None, element.tag)
                and classes <= set((element.get("class") or "").split()))

    def matches(self, element) -> bool:
        *ancestors, own = self.parts
        above = list(element.iterancestors())
        return self._is(element, own) and all(any(self._is(a, p) for a in above)
                                              for p in ancestors)


def _parse(css: str, order: int) -> tuple[list[Rule], dict[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, variables = [], {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {}
        for declaration in body.split(";"):
            name, _, value = declaration.partition(":")
            value = value.strip()
            important = value.endswith("!important")
            declarations[name.strip()] = (value.removesuffix("!important").strip(), important)
        for selector in selectors.split(";")[-1].split(","):  # after any @charset "…";
            selector = selector.strip()
            if selector == ":root":
                variables.update({k: v for k, (v, _) in declarations.items() if k.startswith("--")})
            # Tags and classes only: a colour on :hover or [data-x] is no badge's own.
            elif re.fullmatch(rf"(?:{_COMPOUND})(?: (?:{_COMPOUND}))*", selector):
                rules.append(Rule(selector, declarations, order))
                order += 1
    return rules, variables


def _stylesheets():
    rules, variables = [], {}
    for path in CSS_FILES:
        found, found_vars = _parse(path.read_text(encoding="utf-8"), len(rules))
        rules += found
        variables.update(found_vars)
    return rules, variables


RULES, VARIABLES = _stylesheets()


def _rgb(value: str, local: dict | None = None) -> tuple[int, int, int] | None:
    names = {**VARIABLES, **{k: v for k, (v, _) in (local or {}).items()}}
    value = re.sub(r"var\((--[\w-]+)\)", lambda m: names.get(m.group(1), ""), value).strip()
    if m := re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value):
        hexa = m.group(1) if len(m.group(1)) == 6 else "".join(c * 2 for c in m.group(1))
        return tuple(int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    if m := re.fullmatch(r"rgba?\(\s*(\d+),\s*(\d+),\s*(\d+)(?:,\s*1)?\s*\)", value):
        return tuple(int(x) for x in m.groups())
    return {"white": (255, 255, 255), "#fff": (255, 255, 255)}.get(value)


def _computed(element, prop: str) -> tuple[int, int, int] | None:
    """The colour the cascade gives PROP from the rules (!important first,
    then specificity, then order), None if none or not a plain colour."""
    best, key = None, None
    for rule in RULES:
        for name in ((prop, "background") if prop == "background-color" else (prop,)):
            if name in rule.declarations and rule.matches(element):
                value, important = rule.declarations[name]
                candidate = (important, rule.specificity, rule.order)
                if key is None or candidate > key:
                    # "background: #003647 url(...)": the colour part
                    best, key = _rgb(value.split(" url(")[0], rule.declarations), candidate
    return best


def _luminance(rgb) -> float:
    channels = [c / 255 for c in rgb]
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def badge_problems(body: bytes) -> list[str]:
    problems = []
    badges = lxml.html.fromstring(body).xpath("//*[contains(concat(' ', @class, ' '), ' badge ')]")
    for badge in badges:
        text = " ".join(badge.text_content().split())
        background, colour = _computed(badge, "background-color"), _computed(badge, "color")
        if background is None or colour is None:
            problems.append(f"{text!r} ({badge.get('class')}): no background in the shipped CSS")
        elif (ratio := contrast(background, colour)) < 4.5:
            problems.append(f"{text!r} ({badge.get('class')}): contrast {ratio:.2f}")
    return problems


def _badges(app, url, headers) -> list:
    response = app.get(url, headers=headers)
    assert response.status_code == 200, url
    assert not badge_problems(response.body), (url, badge_problems(response.body))
    return lxml.html.fromstring(response.body).xpath(
        "//*[contains(concat(' ', @class, ' '), ' badge ')]")


def test_the_checker_sees_a_missing_class_and_a_faint_one():
    assert badge_problems(b'<p><span class="badge text-bg-danger">x</span></p>')
    assert badge_problems(b'<p><span class="badge bg-warning">x</span></p>')  # white on orange
    assert not badge_problems(b'<p><span class="badge bg-danger">x</span></p>')
    assert not badge_problems(b'<p class="status-error"><span class="badge">x</span></p>')


@pytest.mark.parametrize("kind", ["draft", "in_review", "returned", "approved", "published",
                                  "withdrawn", "rejected"])
def test_every_state_kind_is_readable(kind):
    assert not badge_problems(f'<span class="badge satudata-state-{kind}">x</span>'.encode())


def test_workflow_pages_show_readable_badges(app, portal, login):  # noqa: F811
    late = portal.dataset(title="Data terlambat")
    _make_overdue(late)
    act(portal.produsen, late, "submit")  # a late step: "Terlambat" in the history
    _make_overdue(late)
    returned = portal.dataset(title="Data dikembalikan")
    act(portal.produsen, returned, "submit")
    act(portal.walidata, returned, "return", comment="Lengkapi definisi")  # a notice for the OPD

    walidata, produsen = login(portal.walidata), login(portal.produsen)
    dataset_page = _badges(app, f"/dataset/{late['name']}", walidata)
    assert {"satudata-state-in_review", "bg-danger"} <= {
        c for b in dataset_page for c in b.get("class").split()}  # status, overdue, late
    assert len(_badges(app, "/dashboard/antrean", walidata)) >= 2  # status column + overdue
    assert _badges(app, "/dashboard/ringkasan", walidata)
    my_datasets = _badges(app, "/dashboard/datasets", produsen)
    assert {b.get("data-satudata-state") for b in my_datasets} >= {"diperiksa_walidata"}
    notices = _badges(app, "/dashboard/notifikasi", produsen)  # header count + "Baru"
    assert len(notices) >= 2


def test_a_dataset_left_at_the_forms_first_step_says_draft_once(app, portal, login):  # noqa: F811
    """CKAN's own Draft badge (dataset state draft) and the workflow's first state
    say the same thing: the listing shows it once."""
    unfinished = helpers.call_action(
        "package_create", {"user": portal.produsen["name"], "ignore_auth": False},
        **sd.data_sektoral(portal.opd["id"], kegiatan=None, name="belum-selesai",
                           title="Data belum selesai", state="draft"))
    assert unfinished["state"] == "draft"
    submitted = portal.dataset(title="Data diajukan")
    act(portal.produsen, submitted, "submit")
    items = {" ".join(i.xpath(".//h2//a")[0].text_content().split()): i for i in
             lxml.html.fromstring(app.get("/dashboard/datasets", headers=login(portal.produsen)).body)
             .xpath("//li[contains(@class, 'dataset-item')]")}
    texts = {title: [" ".join(b.text_content().split()) for b in
                     item.xpath(".//*[contains(concat(' ', @class, ' '), ' badge ')]")]
             for title, item in items.items()}
    assert texts["Data belum selesai"].count("Draf") == 1
    assert "Diperiksa Walidata" in texts["Data diajukan"]  # other states keep their badge
