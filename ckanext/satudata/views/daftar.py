"""Daftar Data Sektoral pages: the list (the Walidata: all, with the form to
start one; an OPD: the sent ones asking it), one page per daftar with its
entries grouped per OPD and their progress, the rows form to add entries
several at once, and sending with a confirmation. What each user may do comes
from the auth functions (logic/auth.py)."""
from __future__ import annotations

import base64

from flask import Blueprint, Response, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.views.request import _opds, _types

daftar_pages = Blueprint("satudata_daftar", __name__, url_prefix="/daftar-data-sektoral")

#: Empty rows of the entry form (an office lists a few titles per OPD at a time).
FORM_ROWS = 5
ROW_FIELDS = ("organization", "title", "standar_data", "satuan", "frekuensi", "due_date",
              "dataset_type")


def _context() -> dict:
    return {"user": tk.current_user.name, "model": model}


def _login_first():
    if not tk.current_user.is_authenticated:
        tk.abort(403, tk._("Log in to see the Daftar Data Sektoral"))


def _can(name: str, data_dict: dict) -> bool:
    try:
        return tk.check_access(name, _context(), data_dict)
    except tk.NotAuthorized:
        return False


@daftar_pages.route("/", methods=["GET", "POST"])
def index():
    _login_first()
    may_create = _can("satudata_daftar_create", {})
    data, errors, status = {}, {}, 200
    if request.method == "POST":
        if not may_create:
            return tk.abort(403, tk._("Only the Walidata drafts the Daftar Data Sektoral"))
        data = {k: request.form.get(k, "") for k in ("period", "notes", "entry_due_date")}
        try:
            made = tk.get_action("satudata_daftar_create")(_context(), dict(data))
        except tk.ValidationError as e:
            errors, status = e.error_dict, 400
        else:
            tk.h.flash_success(tk._("Daftar Data Sektoral {period} started: add its entries.")
                               .format(period=made["period"]))
            return tk.redirect_to("satudata_daftar.read", id=made["id"])
    found = tk.get_action("satudata_daftar_list")(_context(), {"limit": 1000})
    return tk.render("satudata/daftar/list.html", {
        "daftars": found["results"], "count": found["count"], "may_create": may_create,
        "data": data, "errors": errors}), status


def _read_page(id: str, errors: dict | None = None, rows: list | None = None,
               status: int = 200):
    try:
        found = tk.get_action("satudata_daftar_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Daftar Data Sektoral not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Not a Daftar Data Sektoral sent to your organization"))
    draft = found["state"] == "draft"
    may = {"edit": draft and _can("satudata_daftar_update", {"id": id}),
           "send": draft and _can("satudata_daftar_send", {"id": id})}
    errors = errors or {}
    row_errors = errors.get("entries") if isinstance(errors.get("entries"), list) else []
    rows = rows or [{} for _ in range(FORM_ROWS)]
    # The Surat Permintaan Data per OPD, for those its auth function lets read it.
    letters = {g["organization"]["id"] for g in found["by_organization"]
               if _can("satudata_daftar_letter", {"id": id,
                                                  "organization": g["organization"]["id"]})}
    return tk.render("satudata/daftar/read.html", {
        "daftar": found, "may": may, "errors": errors, "letters": letters,
        "rows": [(row, (row_errors[n] if n < len(row_errors) and isinstance(row_errors[n], dict)
                        else {})) for n, row in enumerate(rows)],
        "organizations": _opds() if may["edit"] else [],
        "dataset_types": _types() if may["edit"] else []}), status


@daftar_pages.route("/<id>")
def read(id: str):
    _login_first()
    return _read_page(id)


def _step(id: str, action: str, data: dict, done: str, rows: list | None = None):
    """Run ACTION; back to the daftar's page with DONE, or the page with the errors."""
    _login_first()
    try:
        tk.get_action(action)(_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Daftar Data Sektoral not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Only the Walidata drafts the Daftar Data Sektoral"))
    except tk.ValidationError as e:
        return _read_page(id, e.error_dict, rows, 400)
    tk.h.flash_success(done)
    return tk.redirect_to("satudata_daftar.read", id=id)


@daftar_pages.route("/<id>/entri", methods=["POST"])
def add_entries(id: str):
    """The rows form: rows left empty are skipped; a refused batch comes back as typed."""
    typed = []
    for n in range(int(request.form.get("rows", FORM_ROWS) or FORM_ROWS)):
        row = {k: request.form.get(f"row-{n}-{k}", "").strip() for k in ROW_FIELDS}
        if row["title"] or row["organization"] or row["standar_data"]:
            typed.append(row)
    if not typed:
        return _read_page(id, {"entries": [tk._("Fill in at least one row")]}, None, 400)
    entries = [{k: v for k, v in row.items() if v} for row in typed]
    for row in entries:
        row.setdefault("title", "")
        row.setdefault("organization", "")
    return _step(id, "satudata_daftar_entry_add", {"id": id, "entries": entries},
                 tk.ungettext("{n} entry added.", "{n} entries added.", len(entries)).format(
                     n=len(entries)), typed + [{} for _ in range(max(0, FORM_ROWS - len(typed)))])


@daftar_pages.route("/<id>/entri/<entry_id>/hapus", methods=["POST"])
def delete_entry(id: str, entry_id: str):
    return _step(id, "satudata_daftar_entry_delete", {"id": entry_id}, tk._("Entry removed."))


@daftar_pages.route("/<id>/ubah", methods=["POST"])
def edit(id: str):
    data = {k: request.form.get(k, "") for k in ("period", "notes", "entry_due_date")}
    return _step(id, "satudata_daftar_update", dict(data, id=id), tk._("Daftar updated."))


@daftar_pages.route("/<id>/kirim", methods=["POST"])
def send(id: str):
    """Send after the confirmation box was ticked (it names what will be sent)."""
    if request.form.get("confirm") != "yes":
        return _read_page(id, {"confirm": [tk._(
            "Tick the confirmation to send the daftar: its data requests cannot be unsent")]},
            None, 400)
    return _step(id, "satudata_daftar_send", {"id": id},
                 tk._("Daftar sent: the data requests were made and the OPDs told."))


@daftar_pages.route("/<id>/surat/<organization>.pdf")
def letter(id: str, organization: str):
    """The Surat Permintaan Data of the daftar to ORGANIZATION, as a PDF download."""
    _login_first()
    try:
        made = tk.get_action("satudata_daftar_letter")(_context(), {
            "id": id, "organization": organization})
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e) or tk._("Daftar Data Sektoral not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    return Response(base64.b64decode(made["content"]), mimetype=made["mimetype"], headers={
        "Content-Disposition": f'attachment; filename="{made["filename"]}"',
        "Cache-Control": "private, no-store"})
