"""ckanext-scheming's dataset plugin, letting a draft be saved page by page.

ckanext-scheming 3.1 validates the required fields of every form page when
the first page is saved (its #386; `draft_fields_required` only comes with
CKAN 2.12), so a multi-page form such as MS-Keg could never be started.
CKAN's stage flow saves pages with ``state=draft``; for those saves only
"missing value" errors are dropped, every other check still applies, and the
workflow's completeness gate refuses to submit a dataset whose required
fields are still empty. This is INDAH's own split between fields required
for a draft and fields required for submission.

A type without resource_fields (MS-Keg, MS-Ind: metadata records) has no
"add data" step, whose "Finish" makes a draft active; its last form page does
that instead (:class:`FinishingPageView`, :class:`FinishingCreateView`).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import ckan.model as model
from ckan.views.dataset import CreateView, EditView
from ckanext.scheming import views as scheming_views
from ckanext.scheming.plugins import SchemingDatasetsPlugin

from ckanext.satudata.logic.validators import CHOOSE_ONE
from ckanext.satudata.validation import form_step


def is_draft(data_dict: dict) -> bool:
    return data_dict.get("state") == "draft"


#: Required even in a draft: a dataset without a name has no address (the form
#: went on to /dataset/new//2) and could be neither opened nor deleted.
REQUIRED_IN_DRAFT = ("name",)


def without_missing(errors: dict) -> dict:
    """ERRORS less the ones that only say a field is still empty (but the name)."""
    missing = {tk._("Missing value"), tk._("Add at least one entry"), tk._(CHOOSE_ONE)}
    kept = {}
    for field, messages in errors.items():
        if field in REQUIRED_IN_DRAFT:
            messages = [tk._("Fill in the title first: the dataset's web address (URL) is "
                             "made from it.") if m in missing else m for m in messages]
        elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
            messages = [m for m in messages if m not in missing]
        if messages:
            kept[field] = messages
    return kept


class SatudataSchemingPlugin(SchemingDatasetsPlugin):
    def prepare_dataset_blueprint(self, package_type, bp):
        if not self._dataset_form_pages[package_type]:
            if _without_resources(package_type):  # before CKAN's own /new, so it wins
                bp.add_url_rule("/new", "satudata_new", FinishingCreateView.as_view("new"))
            return bp
        # scheming's four page routes, with the finishing view for new datasets
        bp.add_url_rule("/new", "scheming_new", scheming_views.SchemingCreateView.as_view("new"))
        bp.add_url_rule("/new/<id>/<page>", "scheming_new_page",
                        FinishingPageView.as_view("new_page"))
        bp.add_url_rule("/edit/<id>", "scheming_edit", scheming_views.edit)
        bp.add_url_rule("/edit/<id>/<page>", "scheming_edit_page",
                        scheming_views.SchemingEditPageView.as_view("edit_page"))
        return bp

    def prepare_resource_blueprint(self, package_type, bp):
        # A table file saved without variables goes on to them (validation/form_step.py).
        return form_step.add_rules(bp)

    def validate(self, context, data_dict, schema, action):
        data, errors = super().validate(context, data_dict, schema, action)
        if errors and is_draft(data_dict):
            errors = without_missing(errors)
        return data, errors


def _without_resources(package_type: str) -> bool:
    return not (tk.h.scheming_get_dataset_schema(package_type) or {}).get("resource_fields")


def _finish(package_type: str, id: str, page: int | None):
    """What "Finish" on the data step does: the draft becomes active (every
    required field is checked now) and its page opens; else the form shows why."""
    context = {"user": tk.current_user.name}
    try:
        pkg = tk.get_action("package_patch")(context, {"id": id, "state": "active"})
    except tk.ValidationError as e:
        data = tk.get_action("package_show")(context, {"id": id})
        if page:
            data["_form_page"] = page
        return EditView().get(package_type, id, data, e.error_dict, e.error_summary)
    return tk.redirect_to(f"{package_type}.read", id=pkg["name"])


class FinishingPageView(scheming_views.SchemingCreatePageView):
    """A new dataset's form page; the last one of a type without resources finishes it."""

    def post(self, package_type, id, page):
        response = super().post(package_type, id, page)
        last = len(tk.h.scheming_get_dataset_form_pages(package_type))
        if (getattr(response, "status_code", None) == 302 and str(page) == str(last)
                and _without_resources(package_type)):
            return _finish(package_type, id, last)
        return response


class FinishingCreateView(CreateView):
    """The one-page form of a type without resources (MS-Ind): CKAN would go on
    to the data step (ckan.dataset.create_on_ui_requires_resources)."""

    def post(self, package_type):
        response = super().post(package_type)
        name = tk.request.form.get("name", "")
        if getattr(response, "status_code", None) == 302 and name:
            pkg = model.Package.get(name)
            if pkg is not None and pkg.type == package_type and pkg.state == "draft":
                return _finish(package_type, pkg.id, None)
        return response
