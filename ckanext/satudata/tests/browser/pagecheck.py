"""Checks run on every page a browser journey visits, as a person meets it:

- english:  no English msgid left in the `id` locale. The visible text (each
            text node, each element's short innerText, placeholders) is compared
            with the msgids of CKAN's catalog, ours, and the strings the
            installed ckanext-scheming / ckanext-validation mark for
            translation (they ship no `id` catalog). A visible string equal to
            an msgid (placeholders matching any text) whose Indonesian
            translation differs from it, or that has none, fails.
- contrast: every badge / status label has text/background contrast >= 4.5:1,
            computed in the browser from computed styles.
- raw:      no raw dict/list or ISO timestamp in visible text (code samples aside).
- image:    no broken image (loaded with naturalWidth 0).
- h1:       exactly one h1.
- label:    every visible input/select/textarea has a label.

`check_page(page)` returns the failures; `assert_page_ok(page)` raises with
the page URL, the check and the offending text of each.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import polib

# Visible strings that are the same in Indonesian: names, formats, acronyms.
ALLOWLIST = frozenset({
    "CKAN", "API", "CSV", "XLSX", "JSON", "XML", "PDF", "DCAT", "RDF", "URL",
    "Satu Data", "English", "Bahasa Indonesia",
})

_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdifr]|%[sdifr]|\{[A-Za-z_][A-Za-z0-9_]*\}|\{\}")
_TAG = re.compile(r"<[^>]+>")
_WS = re.compile(r"\s+")
_LETTERS = re.compile(r"[A-Za-z]{3,}")
_WORD = re.compile(r"[A-Za-z]+")
_LEADING_NUMBER = re.compile(r"^\d+\s+")
_MARKED = re.compile(r"""\b_\(\s*(['"])((?:(?!\1).)+)\1\s*[,)]""")


def _normal(text: str) -> str:
    return _WS.sub(" ", html.unescape(_TAG.sub("", text))).strip()


def _catalogs() -> list[Path]:
    import ckan
    import ckanext.satudata

    ours = Path(ckanext.satudata.__file__).parent / "i18n" / "id" / "LC_MESSAGES" / "ckanext-satudata.po"
    return [Path(ckan.__file__).parent / "i18n" / "id" / "LC_MESSAGES" / "ckan.po", ours]


def _marked_sources() -> list[Path]:
    """Templates and modules of the plugins without an `id` catalog."""
    found = []
    for name in ("ckanext.scheming", "ckanext.validation"):
        try:
            module = __import__(name, fromlist=["_"])
        except ImportError:
            continue
        root = Path(module.__file__).parent
        found += [p for p in root.rglob("*") if p.suffix in (".html", ".py")
                  and "tests" not in p.parts and "2.8_templates" not in p.parts]
    return found


@dataclass(frozen=True)
class Catalog:
    exact: frozenset          # English texts as shown, untranslated in `id`
    patterns: re.Pattern | None  # the same, for msgids with placeholders

    def english(self, text: str) -> bool:
        # "404 Not Found": a status code or number before the words.
        return any(self._english(t) for t in {text, _LEADING_NUMBER.sub("", text)})

    def _english(self, text: str) -> bool:
        if text in ALLOWLIST or not _LETTERS.search(text):
            return False
        if text in self.exact:
            return True
        return bool(self.patterns and self.patterns.fullmatch(text))


def build_catalog(po_files: list[Path], marked: list[Path] = ()) -> Catalog:
    """The English msgids a page must not show: msgid -> effective translation
    (later catalogs override earlier ones, as flask-babel merges CKAN's and the
    plugins' catalogs), failing where the translation is missing or identical
    only by omission."""
    translated: dict[str, str] = {}
    for po in po_files:
        for entry in polib.pofile(str(po)):
            if entry.obsolete or not entry.msgid:
                continue
            msgstr = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
            if msgstr and "fuzzy" not in entry.flags:
                translated[entry.msgid] = msgstr
                if entry.msgid_plural:
                    translated[entry.msgid_plural] = entry.msgstr_plural.get(1, msgstr)
            else:
                translated.setdefault(entry.msgid, "")
                if entry.msgid_plural:
                    translated.setdefault(entry.msgid_plural, "")
    for source in marked:
        for match in _MARKED.finditer(source.read_text(encoding="utf-8", errors="replace")):
            translated.setdefault(match.group(2), "")
    # Words Indonesian uses too (loanwords: Dataset, Format, Status): a pattern
    # whose fixed words are all among them cannot tell English from Indonesian.
    indonesian = {w.lower() for msgstr in translated.values() for w in _WORD.findall(_normal(msgstr))}
    exact, patterns = set(), []
    for msgid, msgstr in translated.items():
        shown = _normal(msgid)
        if not shown or _normal(msgstr) == shown or not _LETTERS.search(_PLACEHOLDER.sub("", shown)):
            continue
        if _PLACEHOLDER.search(shown):
            parts = _PLACEHOLDER.split(shown)
            words = _WORD.findall(" ".join(parts))
            if sum(len(p.strip()) for p in parts) < 4 or all(w.lower() in indonesian for w in words):
                continue  # too little fixed English text to tell it from data
            patterns.append(".+?".join(re.escape(p) for p in parts))
        else:
            exact.add(shown)
    compiled = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return Catalog(frozenset(exact), compiled)


@functools.cache
def installed_catalog() -> Catalog:
    return build_catalog(_catalogs(), _marked_sources())


# One pass over the page in the browser: everything the checks need.
_COLLECT = r"""() => {
  const visible = el => el.checkVisibility ? el.checkVisibility({visibilityProperty: true, opacityProperty: true})
                                           : !!(el.offsetWidth || el.offsetHeight);
  const norm = s => (s || '').replace(/\s+/g, ' ').trim();
  const texts = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(p.tagName) || !visible(p)) continue;
    const t = norm(n.nodeValue);
    if (t) texts.add(t);
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName) || !visible(el)) continue;
    const t = norm(el.innerText);
    if (t && t.length <= 300) texts.add(t);
    const ph = el.getAttribute('placeholder');
    if (ph) texts.add(norm(ph));
  }

  const rgba = s => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0];
    const v = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const over = (top, bottom) => { const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const badges = [];
  for (const el of document.querySelectorAll(
      '.badge, .label, [class*="badge-"], [data-satudata-state], [data-satudata-overdue], [data-satudata-validation]')) {
    if (!visible(el) || !norm(el.innerText)) continue;
    const bg = background(el), fg = over(rgba(getComputedStyle(el).color), bg);
    const l1 = lum(fg), l2 = lum(bg);
    badges.push({text: norm(el.innerText), ratio: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)});
  }

  const images = [...document.images].filter(i => i.complete && i.naturalWidth === 0 && i.getAttribute('src'))
    .map(i => i.getAttribute('src'));
  const h1s = [...document.querySelectorAll('h1')].filter(visible).map(h => norm(h.innerText));

  const unlabelled = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.tagName === 'INPUT' && ['hidden', 'submit', 'button', 'image', 'reset'].includes(el.type)) continue;
    if (!visible(el)) continue;
    const byLabel = el.labels && [...el.labels].some(l => norm(l.innerText) || norm(l.getAttribute('aria-label')));
    const byAria = norm(el.getAttribute('aria-label')) ||
      (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => id && document.getElementById(id) && norm(document.getElementById(id).innerText));
    if (!byLabel && !byAria) unlabelled.push(el.outerHTML.slice(0, 160));
  }
  const code = [...document.querySelectorAll('pre, code')].filter(visible).map(c => c.innerText);
  return {texts: [...texts], body: document.body.innerText, code, badges, images, h1s, unlabelled};
}"""

_RAW = re.compile(r"\{'|\['|\{\"[A-Za-z_]+\":|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class Failure:
    url: str
    check: str
    text: str

    def __str__(self) -> str:
        return f"{self.url} [{self.check}] {self.text}"


def check_page(page, catalog: Catalog | None = None) -> list[Failure]:
    catalog = catalog or installed_catalog()
    page.wait_for_load_state("load")
    seen = page.evaluate(_COLLECT)
    url, failures = page.url, []
    for text in sorted(seen["texts"]):
        if catalog.english(text):
            failures.append(Failure(url, "english", text))
    for badge in seen["badges"]:
        if badge["ratio"] < 4.5:
            failures.append(Failure(url, "contrast", f"{badge['text']!r} {badge['ratio']:.2f}:1"))
    code = "\n".join(seen["code"])
    for line in seen["body"].splitlines():
        if _RAW.search(line) and line.strip() not in code:  # code samples are not values
            failures.append(Failure(url, "raw", line.strip()[:200]))
    for src in seen["images"]:
        failures.append(Failure(url, "image", src))
    if len(seen["h1s"]) != 1:
        failures.append(Failure(url, "h1", f"{len(seen['h1s'])} h1: {seen['h1s']}"))
    for control in seen["unlabelled"]:
        failures.append(Failure(url, "label", control))
    return failures


def assert_page_ok(page, catalog: Catalog | None = None) -> None:
    failures = check_page(page, catalog)
    assert not failures, "page checks failed:\n" + "\n".join(str(f) for f in failures)
