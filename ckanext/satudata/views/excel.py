"""The Excel metadata templates: downloads (a record's, an OPD's, the empty one) and
the import page. Who may do what is the actions' (excel/auth.py, the workflow)."""
from __future__ import annotations

import base64

from flask import Blueprint, Response, request

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.satudata.excel import layout

excel = Blueprint("satudata_excel", __name__)


def _context() -> dict:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else "", "model": model}


@excel.route("/metadata/template.xlsx")
def export():
    wanted = {k: request.args[k] for k in ("id", "organization") if request.args.get(k)}
    try:
        found = tk.get_action("satudata_template_export")(_context(), wanted)
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Not authorized"))
    except tk.ObjectNotFound as e:
        return tk.abort(404, str(e) or tk._("Dataset not found"))
    return Response(base64.b64decode(found["xlsx"]),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{found["filename"]}"'})


@excel.route("/metadata/import", methods=["GET", "POST"])
def import_page():
    context = _context()
    try:
        tk.check_access("satudata_template_import", context, {})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Not authorized"))
    problems, done, status = [], None, 200
    if request.method == "POST":
        upload = request.files.get("upload")
        try:
            done = tk.get_action("satudata_template_import")(context, {"upload": upload})
        except tk.NotAuthorized as e:
            return tk.abort(403, str(e) or tk._("Not authorized"))
        except tk.ValidationError as e:
            status = 400
            problems = e.error_dict.get("rows") or [
                {"sheet": "", "row": None, "column": "", "column_label": "",
                 "message": tk._("Choose the filled template (.xlsx) to import")}]
    sheets: dict[str, list[dict]] = {}
    for problem in problems:
        sheets.setdefault(problem.get("sheet") or "", []).append(problem)
    return tk.render("satudata/excel_import.html", {
        "sheets": sheets, "problem_count": len(problems), "done": done,
        "templates": [layout.describe(t) for t in layout.templates()],
        "source": layout.source()}), status
