"""The columns of each Excel template, derived from the scheming schemas.

schemas/excel_templates.yaml names the sheets and which schema each follows;
the columns are that schema's fields in their form order (MS-Keg's Blok I–VIII),
so there is no second hand-kept list of MS-Keg/MS-Var/MS-Ind fields.
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

import yaml

from ckanext.satudata import lang

LAYOUT_FILE = Path(__file__).resolve().parents[1] / "schemas" / "excel_templates.yaml"
SCHEMAS = LAYOUT_FILE.parent


@dataclasses.dataclass(frozen=True)
class Column:
    key: str                  # the field name (the template's key row)
    field: dict               # the scheming field (or a placing column of MS-Var)
    block: str                # the form page (block) it belongs to, Indonesian
    number: int               # 1-based, within the sheet

    @property
    def letter(self) -> str:
        return letter(self.number)

    def label(self, language: str | None = None) -> str:
        return in_language(self.field.get("label") or self.key, language)


@dataclasses.dataclass(frozen=True)
class Template:
    name: str
    sheet: str
    title: dict
    dataset_type: str
    columns: tuple[Column, ...]
    resource_field: str | None = None

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def in_language(label: Any, language: str | None = None) -> str:
    """LABEL ({id, en} or text) in LANGUAGE, or in the reader's language when None."""
    if language and isinstance(label, dict):
        return label.get(language) or label.get("id") or next(iter(label.values()))
    return lang.text(label)


def letter(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


@functools.lru_cache(maxsize=None)
def config() -> dict:
    return yaml.safe_load(LAYOUT_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def schema(name: str) -> dict:
    return yaml.safe_load((SCHEMAS / f"{name}.yaml").read_text(encoding="utf-8"))


def _page_title(field: dict) -> dict | None:
    page = field.get("start_form_page")
    return page.get("title") if isinstance(page, dict) else None


@functools.lru_cache(maxsize=None)
def template(name: str) -> Template:
    spec = config()["templates"][name]
    skip = set(config().get("skip_fields") or [])
    found: list[Column] = []
    if spec.get("resource_field"):
        for place in spec.get("place") or []:
            found.append(Column(place["field_name"], place, "", len(found) + 1))
        parent = next(f for f in schema(spec["schema"])["resource_fields"]
                      if f["field_name"] == spec["resource_field"])
        block = in_language(parent.get("label"), "id")
        for sub in parent["repeating_subfields"]:
            found.append(Column(sub["field_name"], sub, block, len(found) + 1))
    else:
        block = ""
        for field in schema(spec["schema"])["dataset_fields"]:
            title = _page_title(field)
            if title:
                block = in_language(title, "id")
            if field["field_name"] in skip:
                continue
            found.append(Column(field["field_name"], field, block, len(found) + 1))
    return Template(name, spec["sheet"], spec["title"], spec["dataset_type"], tuple(found),
                    spec.get("resource_field"))


def templates() -> list[Template]:
    return [template(name) for name in config()["import_order"]]


def by_sheet(sheet: str) -> Template | None:
    return next((t for t in templates() if t.sheet == sheet), None)


def rows() -> dict[str, int]:
    return config()["rows"]


def source(language: str | None = None) -> str:
    return in_language(config()["source"], language)


def is_required(field: dict) -> bool:
    return bool(field.get("required")) or field.get("preset") == "title" \
        or field.get("field_name") in ("name", "owner_org")


def describe(t: Template) -> dict[str, Any]:
    """The layout as data (for the README and the API): sheet, columns with their keys."""
    return {"sheet": t.sheet, "columns": [
        {"column": c.letter, "key": c.key, "label": c.label("id"), "block": c.block}
        for c in t.columns]}
