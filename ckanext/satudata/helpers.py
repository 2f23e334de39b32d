"""Template helpers of the satudata plugin (registered by tk.blanket.helpers)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

import ckan.model as model

from ckanext.satudata import codelists, completeness, lang, msvar, request_memo, search, wilayah
from ckanext.satudata.page_urls import add_url_param, remove_url_param
from ckanext.satudata.render_once import satudata_block_keep, satudata_block_rendered
from ckanext.satudata.public import chart, formatting, formula, page, tabular
from ckanext.satudata.public.extracts import markdown_extract
from ckanext.satudata.logic import epss, report, rules
from ckanext.satudata.model import Notification
from ckanext.satudata.workflow import display, kinds, service

__all__ = [
    "satudata_indah_panel",
    "satudata_indah_status_label",
    "satudata_recommendation",
    "satudata_region",
    "satudata_role_organizations",
    "satudata_codelist_choices",
    "satudata_codelist_label",
    "satudata_variables",
    "satudata_variable_rows",
    "satudata_variable_columns",
    "satudata_has_workflow",
    "satudata_linked_table_waiting",
    "satudata_completeness",
    "satudata_wilayah_name",
    "satudata_dataset_link",
    "satudata_type_label",
    # values a person reads (public/formatting.py)
    "satudata_number",
    "satudata_date",
    "satudata_datetime",
    "satudata_text",
    "render_datetime",
    # public pages
    "satudata_landing",
    "satudata_has_activity",
    "satudata_published_count",
    "satudata_organization_role",
    "satudata_truncate_words",
    "satudata_about_organizations",
    "satudata_tabular_resources",
    "satudata_preview",
    "satudata_preview_cell",
    "satudata_chart",
    "satudata_chart_svg",
    "satudata_resource_data",
    "satudata_conversions",
    "satudata_formula",
    "satudata_kegiatan_summary",
    "satudata_indicators",
    "satudata_extra_fields",
    "satudata_citation",
    "satudata_api_snippets",
    "satudata_workflow",
    "satudata_office_date",
    "satudata_return_notice",
    "satudata_field_note",
    "satudata_resource_notes",
    "satudata_request_event_text",
    "satudata_state_kind",
    "satudata_state_info",
    "satudata_state_label",
    "satudata_holder_label",
    "satudata_action_verb",
    "satudata_due",
    "satudata_office_time",
    "satudata_workflow_action_groups",
    "satudata_note_fields",
    "satudata_note_field_labels",
    "satudata_correction_rows",
    "satudata_jabatan_tab",
    "satudata_workflow_nav",
    "satudata_timeliness_rows",
    "satudata_epss_rows",
    "satudata_epss_chart",
    "satudata_revision_info",
    # form pages
    "satudata_form_page_condition",
    "satudata_form_page_applies",
    "satudata_form_page_condition_text",
    # CKAN's own, with the page's address built once a request (page_urls.py)
    "add_url_param",
    "remove_url_param",
    # blocks CKAN's page.html renders twice (render_once.py)
    "satudata_block_rendered",
    "satudata_block_keep",
    # CKAN's own, with the converters reused (public/extracts.py)
    "markdown_extract",
]


def satudata_region() -> dict[str, str]:
    """The region this portal serves, as configured."""
    return {
        "code": tk.config.get("ckanext.satudata.region.code"),
        "name": tk.config.get("ckanext.satudata.region.name"),
    }


def satudata_role_organizations() -> dict[str, str]:
    """Slugs of the organizations that stand for the Walidata and the Pembina Data."""
    return {
        "walidata": tk.config.get("ckanext.satudata.walidata_organization"),
        "pembina": tk.config.get("ckanext.satudata.pembina_organization"),
    }


def satudata_codelist_choices(field: dict) -> list[dict[str, Any]]:
    """ckanext-scheming choices_helper: the choices of the field's ``codelist``."""
    return codelists.choices(field["codelist"])


def satudata_codelist_label(name: str, value: str) -> str:
    return codelists.label(name, value, lang.current())


def satudata_variables(resource: dict) -> list[dict[str, Any]]:
    """The MS-Var rows of a resource, read from its Table Schema."""
    try:
        return msvar.variables(resource.get("schema"))
    except ValueError:
        return []


def satudata_variable_rows(data: dict) -> list[dict[str, Any]]:
    """Rows for the MS-Var editor: as typed (a form shown again after an
    error sends them back as variabel-N-* keys), else from the Table Schema."""
    return msvar.pop_variables(dict(data)) or satudata_variables(data)


def satudata_variable_columns() -> dict[str, Any]:
    """The MS-Var subfields of the scheme (label, codelist, placeholder), for the
    compact variables table: ``{"table": [...], "more": [...]}``, each a list of
    subfield dicts in the order of msvar.TABLE_KEYS / msvar.MORE_KEYS."""
    schema = tk.h.scheming_get_dataset_schema("dataset") or {}
    field = next((f for f in schema.get("resource_fields", []) if f["field_name"] == "variabel"), {})
    subfields = {f["field_name"]: f for f in field.get("repeating_subfields", [])}
    return {"table": [subfields[k] for k in msvar.TABLE_KEYS if k in subfields],
            "more": [subfields[k] for k in msvar.MORE_KEYS if k in subfields]}


def satudata_has_workflow(dataset_type: str) -> bool:
    """Whether a workflow (not the form's visibility choice) governs DATASET_TYPE."""
    return service.workflow_name(dataset_type) is not None


def satudata_completeness(pkg_dict: dict) -> dict[str, Any]:
    """Completeness score (%) and the labels of the expected fields still empty."""
    schema = tk.h.scheming_get_dataset_schema(pkg_dict.get("type", "dataset"))
    if not schema:
        return {"score": 100, "missing": []}
    fields = {f["field_name"]: f for f in schema["dataset_fields"]}
    return {
        "score": completeness.score(schema, pkg_dict),
        "missing": [tk.h.scheming_language_text(fields[name].get("label", name))
                    for name in completeness.missing_fields(schema, pkg_dict)],
    }


def satudata_wilayah_name(kode: str) -> str:
    return wilayah.name(kode) or kode


def satudata_dataset_link(name: str) -> dict[str, str] | None:
    """URL and title of a linked dataset of any type (kegiatan, indikator, …)."""
    dataset = model.Package.get(name)
    if dataset is None or dataset.state != "active" or not tk.h.check_access(
            "package_show", {"id": dataset.id}):
        return None
    return {"url": tk.h.url_for(f"{dataset.type}.read", id=dataset.name),
            "title": dataset.title or dataset.name}


def satudata_type_label(dataset_type: str) -> str:
    """Data sektoral / Kegiatan statistik (MS-Keg) / Indikator (MS-Ind)."""
    return search.type_label(dataset_type or "dataset", lang.current())


# ------------------------------------------------- values a person reads

def satudata_number(value: Any, decimals: int | None = None) -> str:
    """1.657.030 (id) / 1,657,030 (en)."""
    return formatting.number(value, decimals)


def satudata_date(value: Any) -> str:
    """1 Desember 2026 / 1 December 2026."""
    return formatting.date(value)


def satudata_datetime(value: Any) -> str:
    """1 Desember 2026 16.00 WIB / 1 December 2026 16:00 WIB."""
    return formatting.datetime(value)


def satudata_text(value: Any) -> str:
    """A stored value (list, {id, en}, ISO moment) as words."""
    return formatting.text(value)


@tk.chained_helper
def render_datetime(next_helper, datetime_, date_format=None, with_hours=False,
                    with_seconds=False):
    """CKAN's render_datetime for core templates too: the day first in both
    languages and the portal's time zone (core's pattern is English-ordered
    and flask-babel turns the moment back to UTC)."""
    if date_format:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    if with_hours or with_seconds:
        return formatting.datetime(datetime_)
    return formatting.date(datetime_)


# ------------------------------------------------------------ public pages

def satudata_landing() -> dict[str, Any]:
    return page.landing()


def satudata_has_activity(kind: str, object_id: str) -> bool:
    """Whether the current user may read at least one activity of the package or
    organization (the activity tab is shown only then)."""
    user = tk.current_user.name if tk.current_user and tk.current_user.is_authenticated else ""
    try:
        return bool(tk.get_action(f"{kind}_activity_list")(
            {"user": user}, {"id": object_id, "limit": 1}))
    except (KeyError, tk.NotAuthorized, tk.ObjectNotFound, tk.ValidationError):
        return False


def satudata_published_count(organization_name: str) -> int:
    """Published records of the OPD the visitor can see (as on the landing page)."""
    return page.published_counts().get(organization_name, 0)


def satudata_organization_role(organization_name: str) -> str:
    """Walidata, Pembina Data or Produsen Data."""
    return page.organization_role(organization_name)


def satudata_about_organizations() -> dict[str, dict[str, str] | None]:
    """{walidata, pembina}: name and title of the steward organizations, for the About page."""
    found = {}
    for role, name in satudata_role_organizations().items():
        group = model.Group.get(name) if name else None
        found[role] = ({"name": group.name, "title": group.title or group.name}
                       if group is not None and group.state == "active" else None)
    return found


def satudata_truncate_words(text: str | None, length: int = 140) -> str:
    """Plain text of TEXT (Markdown) cut at a word boundary, with an ellipsis."""
    return formatting.truncate_words(tk.h.markdown_extract(text or "", extract_length=0), length)


def satudata_linked_table_waiting(resource: dict) -> bool:
    """A linked CSV/XLSX whose file no check has fetched yet (no preview to show)."""
    fmt = (resource.get("format") or "").strip().lower()
    return resource.get("url_type") != "upload" and fmt in ("csv", "xlsx") and \
        not tabular.kind(resource)


def satudata_tabular_resources(pkg_dict: dict) -> list[dict]:
    """The dataset's CSV/XLSX resources that can be read: uploaded, or linked
    and fetched by their check (the ones previewed and converted)."""
    return [r for r in pkg_dict.get("resources", []) if tabular.kind(r)]


def _data_readable(resource: dict) -> bool:
    return tk.h.check_access("satudata_resource_data_read", {"id": resource.get("id")})


def satudata_preview(resource: dict, limit: int = 10) -> dict | None:
    if not _data_readable(resource):
        return None
    return tabular.preview(resource, limit)


def satudata_preview_cell(value: Any, column: str) -> str:
    """A preview cell: numbers grouped in the reader's locale, years as they are."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not chart.is_year(column):
        return formatting.number(value)
    return str(value)


def satudata_chart(resource: dict) -> dict | None:
    """{data} of the resource's chart, or None when the data has none."""
    if not _data_readable(resource):
        return None
    found = chart.data(resource)
    return {"data": found} if found else None


def satudata_chart_svg(data: dict, title: str):
    return chart.svg(data, title)


def satudata_conversions(pkg_dict: dict, resource: dict) -> list[dict[str, str]]:
    if not tabular.kind(resource) or not _data_readable(resource):
        return []
    return [{"format": fmt.upper(),
             "url": tk.h.url_for("satudata_public.convert", id=pkg_dict["name"],
                                 resource_id=resource["id"], fmt=fmt)}
            for fmt in tabular.CONVERSIONS]


def satudata_resource_data(pkg_dict: dict, resource: dict) -> dict[str, Any]:
    """What the resource page shows of the file's own data, for its snippet
    (package/snippets/satudata_resource_data.html) and for CKAN's "no views created
    yet", which is not the case then (it showed above a working chart):
    ``conversions`` (chart, preview and downloads) or, for a linked file not
    fetched yet, ``waiting`` (the note that they are on their way); neither to
    whoever may not read the data."""
    conversions = satudata_conversions(pkg_dict, resource)
    waiting = not conversions and satudata_linked_table_waiting(resource) and _data_readable(resource)
    return {"conversions": conversions, "waiting": waiting, "shown": bool(conversions) or waiting}


def satudata_formula(text: str | None):
    return formula.render(text)


def satudata_kegiatan_summary(name: str | None) -> dict | None:
    return page.kegiatan_summary(name)


def satudata_indicators(names: Any) -> list[dict]:
    return page.indicators(names)


def satudata_extra_fields(pkg_dict: dict, schema: dict) -> list[dict]:
    return page.extra_fields(pkg_dict, schema)


def satudata_citation(pkg_dict: dict) -> str:
    return page.citation(pkg_dict)


def satudata_api_snippets(pkg_dict: dict) -> dict[str, str]:
    return page.api_snippets(pkg_dict)


def _workflow_shown(pkg_id: str) -> dict[str, Any] | None:
    """satudata_workflow_show of PKG_ID for the current user (None if they may not
    see it), asked once per request: the dataset page's panel, return notice,
    form fields and revision panel all read it."""
    cache = tk.g.setdefault("satudata_workflow_shown", {})
    if pkg_id not in cache:
        try:
            cache[pkg_id] = tk.get_action("satudata_workflow_show")(
                {"user": tk.current_user.name if tk.current_user else ""}, {"id": pkg_id})
        except (tk.NotAuthorized, tk.ObjectNotFound):
            cache[pkg_id] = None
    return cache[pkg_id]


def satudata_workflow(pkg_dict: dict) -> dict[str, Any] | None:
    """satudata_workflow_show for the current user, or None if they may not see it."""
    return _workflow_shown(pkg_dict["id"])


def satudata_state_kind(workflow_name: str | None, state_id: str | None) -> str:
    """draft, in_review, returned, approved, published, withdrawn or rejected."""
    if not workflow_name or not state_id:
        return "in_review"
    return kinds.kind(service.load(workflow_name), state_id)


def satudata_state_info(pkg_dict: dict) -> dict[str, Any] | None:
    """{workflow, state, label, kind, public} of the dict's satudata_state (None if absent).

    Reads the definition only: listings show many datasets, and package_show
    already put satudata_state only in the dicts the user may see. The same
    for every result in a state, so asked once a request per state (a copy each).
    """
    state = pkg_dict.get("satudata_state")
    name = service.workflow_name(pkg_dict.get("type") or "dataset")
    if not state or not name:
        return None
    info = request_memo.remembered(("state_info", name, state, lang.current()), lambda: _state_info(name, state))
    return dict(info) if info else None


def _state_info(name: str, state: str) -> dict[str, Any] | None:
    workflow = service.load(name)
    if state not in workflow.states:
        return None
    return {"workflow": name, "state": state, "label": lang.text(workflow.state(state).label),
            "kind": kinds.kind(workflow, state), "public": workflow.state(state).public}


def satudata_state_label(workflow_name: str | None, state_id: str | None) -> str:
    if not workflow_name or not state_id:
        return ""
    workflow = service.load(workflow_name)
    return lang.text(workflow.state(state_id).label) if state_id in workflow.states else state_id


def satudata_holder_label(workflow_name: str | None, state_id: str | None) -> str:
    """Who the dataset waits on in STATE_ID ('' for final and public states)."""
    if not workflow_name or not state_id:
        return ""
    workflow = service.load(workflow_name)
    holder = workflow.states[state_id].holder if state_id in workflow.states else None
    return lang.text(workflow.roles[holder].label) if holder else ""


def satudata_action_verb(action: str) -> str:
    return display.verb(action)


def satudata_due(moment: str | None) -> dict[str, Any] | None:
    """A due date in working-day terms: {when, overdue, working_days, text}."""
    return display.due(moment)


def satudata_office_time(moment: str | None) -> str:
    return display.office_time(moment)


def satudata_workflow_action_groups(workflow: dict) -> list[dict[str, Any]]:
    return display.action_groups(workflow.get("allowed_actions") or [])


def satudata_note_fields(pkg_dict: dict) -> list[dict[str, str]]:
    """What a reviewer can attach a note to: [{name, label, group}]: the dataset's
    fields, its files and their MS-Var variables."""
    return display.note_targets(pkg_dict)


def satudata_note_field_labels(pkg_dict: dict) -> dict[str, str]:
    return {f["name"]: f["label"] for f in satudata_note_fields(pkg_dict)}


def satudata_jabatan_tab(group_id: str) -> bool:
    """Whether the organization page shows the "Jabatan" tab: the Walidata's or the
    Pembina's organization, to those satudata_jabatan_list lets in."""
    from ckanext.satudata.workflow import jabatan

    if jabatan.steward_organization(group_id) is None:
        return False
    return tk.h.check_access("satudata_jabatan_list", {"organization": group_id})


def satudata_correction_rows(corrections: list[dict] | None, pkg_dict: dict) -> list[dict[str, Any]]:
    """The reviewers' corrections of satudata_workflow_show, one row per changed value."""
    return display.correction_rows(corrections or [], pkg_dict)


def satudata_return_notice(pkg_id: str | None) -> dict[str, Any] | None:
    """The latest return of the dataset (reason, notes, who, when) when it is the
    dataset's last step and the current user takes part in its workflow (the
    action decides); None otherwise. Asked once per request: form fields call it."""
    if not pkg_id:
        return None
    return (_workflow_shown(pkg_id) or {}).get("last_return")


def satudata_field_note(pkg_id: str | None, field_name: str) -> str:
    """The latest return's note on a dataset field ('' when none or not for this user)."""
    notice = satudata_return_notice(pkg_id)
    return ((notice or {}).get("field_notes") or {}).get(field_name) or ""


def satudata_resource_notes(pkg_id: str | None, resource_id: str | None) -> dict[str, Any]:
    """The latest return's notes on a file and its variables:
    {"resource": note, "variables": {column: note}}."""
    notice = satudata_return_notice(pkg_id)
    return display.notes_of_resource((notice or {}).get("field_notes"), resource_id or "")


def satudata_workflow_nav() -> dict[str, Any]:
    """For the header: whether the current user takes part in a workflow, and
    how many of their notifications are unread."""
    user = tk.current_user
    if not user or not user.is_authenticated:
        return {"show": False, "unread": 0}
    unread = model.Session.query(Notification).filter(
        Notification.user_id == user.id, Notification.read.is_(False)).count()
    member = model.Session.query(model.Member).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active").first() is not None
    return {"show": bool(member or user.sysadmin or unread), "unread": unread}


def satudata_timeliness_rows(timeliness: dict) -> list[list[Any]]:
    """satudata_timeliness_report as the screen shows it: header first, then per
    OPD its code and the cells (numbers in the reader's locale); the CSV has all."""
    rows = report.screen_rows(timeliness)
    return [rows[0]] + [[row[0], row[1]] + [formatting.number(v) for v in row[2:]]
                        for row in rows[1:]]


def satudata_epss_rows(evidence: dict) -> list[list[Any]]:
    """satudata_epss_report as the screen shows it (epss.screen_columns of its
    table rows): header first, then per OPD its code and the cells, totals last
    with an empty code; numbers in the reader's locale, a missing mean as "–"."""
    rows, columns = epss.table_rows(evidence), epss.screen_columns(evidence)
    shown = [[rows[0][i] for i in columns]]
    for row in rows[1:]:
        shown.append([row[1], row[0]] + [formatting.number(row[i]) if row[i] != "" else "–"
                                         for i in columns[1:]])
    return shown


def satudata_epss_chart(evidence: dict) -> dict[str, Any]:
    """The requests per OPD as stacked bars (on time, late, overdue now, not yet
    due) and the legend's series: {svg, series: [{name, css}]}."""
    series = [(tk._("Delivered on time"), "on-time"), (tk._("Delivered late"), "late"),
              (tk._("Not delivered, overdue now"), "overdue"),
              (tk._("Not delivered, not yet due"), "pending")]
    bars = [(o["title"], [o["on_time"], o["late"], o["overdue_now"],
                          o["not_delivered"] - o["overdue_now"]])
            for o in evidence["organizations"]]
    return {"svg": chart.stacked_bars(bars, series, tk._("Data requests per OPD"), "satudata-epss-chart"),
            "series": [{"name": name, "css": css} for name, css in series]}


def satudata_revision_info(pkg_id: str) -> dict[str, Any]:
    """For the revision panel: satudata_workflow_show's revision fields for the
    current user (revision, can_revise, revision_of); {} without a workflow."""
    shown = _workflow_shown(pkg_id)
    if shown is None:
        return {}
    return {k: shown.get(k) for k in ("revision", "can_revise", "revision_of", "revision_status")}


def satudata_form_page_condition(page: dict) -> dict | None:
    """The only_if condition every field of a form page shares (Blok V of MS-Keg:
    cara_pengumpulan_data = SURVEI), else None: the page applies always."""
    conditions = [f.get("only_if") for f in page.get("fields", [])]
    if conditions and conditions[0] and all(c == conditions[0] for c in conditions):
        return conditions[0]
    return None


def satudata_form_page_applies(page: dict, data: dict) -> bool:
    condition = satudata_form_page_condition(page)
    return condition is None or rules.holds(condition, {(k,): v for k, v in data.items()})


def satudata_form_page_condition_text(page: dict, dataset_type: str) -> str:
    """'<field label> = <value label>' of the page's condition, in the user's language."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    fields = {f["field_name"]: f for f in schema.get("dataset_fields", [])}
    return rules.describe(satudata_form_page_condition(page) or {}, fields)


def satudata_office_date(moment: str | None) -> str:
    return display.office_date(moment)


def satudata_request_event_text(entry: dict) -> str:
    return display.request_event_text(entry)


def satudata_recommendation(pkg: dict) -> dict[str, Any]:
    """BPS's recommendation (Romantik) of a kegiatan, for its page: whether one is
    ``needed``, what is ``missing`` (number, date, letter), and the ``letter``
    (its resource dict: the download URL is CKAN's, read by whoever reads the kegiatan)."""
    from ckanext.satudata.indah import romantik

    missing = romantik.missing(pkg)
    letter = romantik.letter(pkg)
    size = letter and letter.get("size")
    return {"needed": romantik.needs_recommendation(pkg), "missing": missing,
            "given": not missing, "letter": letter,
            "size": formatting.filesize(size) if size else ""}


def satudata_indah_status_label(status: str | None) -> str:
    """Terkirim ke BPS / Submitted to BPS …: an INDAH status as people read it."""
    from ckanext.satudata.indah import actions

    return actions.status_label(status)


def satudata_indah_panel(pkg: dict) -> dict[str, Any]:
    """For the INDAH panel of a kegiatan page, what the current user may see of it:
    ``payload`` (the bundle with its problems, or None) and ``status``
    (satudata_indah_status, or None); both None for other dataset types. And
    ``recommendation``: whether BPS's recommendation (Romantik) is needed and given."""
    context = {"user": tk.current_user.name if tk.current_user else ""}
    pkg_id = pkg["id"]
    found: dict[str, Any] = {"payload": None, "status": None,
                             "recommendation": satudata_recommendation(pkg)}
    for key, action in (("payload", "satudata_indah_payload"), ("status", "satudata_indah_status")):
        try:
            found[key] = tk.get_action(action)(dict(context), {"id": pkg_id})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            pass
    return found
