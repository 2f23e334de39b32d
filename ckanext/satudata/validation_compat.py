"""ckanext-validation 2.2.0 made to work on CKAN 2.11.

ckanext-validation 2.2.0 (the release on PyPI) was written for CKAN 2.9 and
breaks on 2.10+ in the ways listed below. Each mend is small and pinned by a
test in ``tests/test_validation_compat.py`` that also checks the upstream
defect is still there, so the day upstream releases a fix the pin test fails
and this module (and the ``satudata_validation`` plugin name) can go:
list ``validation`` in ``ckan.plugins`` again.

1. The plugin does not load: ``tables_exist()`` uses bound metadata, which
   SQLAlchemy 1.4 no longer has (``UnboundExecutionError``). We check with an
   explicit engine; the table itself is created by this extension's alembic
   migration, so ``ckan db init`` and the tests' ``clean_db`` create it.
2. Async validation is never queued by ``package_create``,
   ``package_update`` or ``resource_create``: upstream implements only the
   pre-2.10 hook names (``after_create``/``after_update``). We provide the
   2.10+ names. A ``resource_create`` is validated after its file is stored
   (``after_resource_create``), not inside the nested ``package_update``
   where the upload is not yet on disk.
3. Sync mode calls the pre-2.10 ``before_create`` on every
   ``IResourceController`` plugin and crashes with any modern one. We refuse
   sync mode at start-up with a clear message instead of failing on the first
   upload.
4. The report page answers 404 when the dataset is named by its slug. We
   resolve the slug before handing over to the upstream view.
5. Its config options are read but never declared (CKAN 2.11 warns on every
   read). They are declared in validation_config_declaration.yaml.
6. ``resource_validation_run`` looks the resource up with an empty context,
   i.e. as whoever is logged in; outside a request (the hooks of a CLI or
   worker call) the resource of a private dataset is then "not authorized",
   and every dataset is private until published. Ours passes the caller's
   context on.

Beyond the mends, the plugin runs the portal's own validation job
(``ckanext.satudata.validation.jobs``: OPD file layouts, Indonesian number
formats, job timeout and recovery) instead of upstream's
``run_validation_job``, stores the report as a JSON object (upstream
JSON-encodes it into its JSON column, so the API handed out a string),
shows the live status (``pending``/``running`` too) in dataset and
resource dicts, and queues a resource on a dataset edit only when what its
validation depends on changed (see ``state.fingerprint``).
"""
from __future__ import annotations

import json
import logging
import os

import sqlalchemy as sa
import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import ckanext.validation
from ckan.exceptions import CkanConfigurationException
from ckanext.validation import settings as validation_settings
from ckanext.validation.logic import action as upstream_action
from ckanext.validation.model import Validation
from ckanext.validation.plugin import ValidationPlugin

from ckanext.satudata.validation import helpers as validation_helpers, jobs, state
from ckanext.satudata.validation import views as validation_views

log = logging.getLogger(__name__)

_UPSTREAM_DIR = os.path.dirname(ckanext.validation.__file__)
_SYNC_OPTIONS = (
    "ckanext.validation.run_on_create_sync",
    "ckanext.validation.run_on_update_sync",
)


def validation_table_exists() -> bool:
    """Whether the ``validation`` table exists, asked through an explicit engine."""
    return sa.inspect(model.meta.engine).has_table(Validation.__tablename__)


@tk.blanket.config_declarations(
    os.path.join(os.path.dirname(__file__), "validation_config_declaration.yaml"))
class SatudataValidationPlugin(ValidationPlugin):
    """ckanext-validation's plugin with the CKAN 2.10+ mends above."""

    p.implements(p.IConfigurable, inherit=True)

    # Mend 1: upstream's update_config dies on tables_exist(); the check
    # moves to configure(), the first hook that runs with a database engine.
    def update_config(self, config_):
        # Absolute paths: add_template_directory resolves relative ones
        # against the caller's file, which is this module, not upstream's.
        tk.add_template_directory(config_, os.path.join(_UPSTREAM_DIR, "templates"))
        tk.add_resource(os.path.join(_UPSTREAM_DIR, "webassets"), "ckanext-validation")

    def configure(self, config_):
        if not validation_table_exists():
            log.critical(
                "The validation table is missing: run `ckan db init` "
                "(or `ckan db upgrade -p satudata_validation`)."
            )
        # Mend 3.
        for option in _SYNC_OPTIONS:
            if tk.asbool(config_.get(option, False)):
                raise CkanConfigurationException(
                    f"{option} = true is not supported on CKAN 2.10+ "
                    "(ckanext-validation 2.2.0 sync mode calls removed "
                    "IResourceController hooks). Remove it: validation runs "
                    "asynchronously on the RQ worker (`ckan jobs worker`)."
                )

    # Mend 2: the 2.10+ hook names that upstream lacks.
    def after_dataset_create(self, context, pkg_dict):
        return super().after_resource_create(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        if context.get("_resource_create_call"):
            # resource_create stores the upload after this nested
            # package_update; after_resource_create validates it then.
            return
        if context.get("_validation_performed"):
            # The job's own resource_patch: upstream marks the package as
            # skipped in before_resource_update and would never unmark it,
            # silencing the next real update of this dataset.
            self.packages_to_skip.pop(pkg_dict.get("id"), None)
        return super().after_resource_update(context, pkg_dict)

    def after_resource_create(self, context, resource):
        if context.pop("_resource_create_call", False):
            self._handle_validation_for_resource(context, resource, force=True)

    def _handle_validation_for_resource(self, context, resource, force=False):
        # A dataset edit hands every resource to this hook; one whose file,
        # format, schema and options are those of its last queued check is
        # not queued again.
        if not force:
            known = state.statuses([resource["id"]]).get(resource["id"])
            if known is not None and known.fingerprint == state.fingerprint(resource):
                return
        return super()._handle_validation_for_resource(context, resource)

    def after_dataset_show(self, context, pkg_dict):
        # The live status of each resource's check, pending and running included.
        rows = state.statuses(r["id"] for r in pkg_dict.get("resources", []))
        for resource in pkg_dict.get("resources", []):
            known = rows.get(resource["id"])
            if known is not None:
                resource["validation_status"] = state.status_name(known.status)
                if known.finished:
                    resource["validation_timestamp"] = known.finished.isoformat()
        return pkg_dict

    # Mend 6, and the report as an object.
    def get_actions(self):
        return dict(super().get_actions(), resource_validation_run=resource_validation_run,
                    resource_validation_show=resource_validation_show)

    def get_helpers(self):
        return dict(super().get_helpers(), **validation_helpers.helpers())

    # Mend 4: the report page accepts the dataset's slug; it is ours, in plain words.
    def get_blueprint(self):
        return [validation_views.blueprint]


@tk.side_effect_free
def resource_validation_show(context, data_dict):
    """The validation of a resource: status, report (an object), error, timestamps.

    Upstream's action, with the report decoded when an older row stored it
    as JSON text, and ``pending`` for upstream's ``created``.

    :param resource_id: id of the resource
    :type resource_id: string
    :rtype: dict
    """
    if not data_dict.get("resource_id"):  # upstream's KeyError would be a 500
        raise tk.ValidationError({"resource_id": [tk._("Missing value")]})
    result = upstream_action.resource_validation_show(context, data_dict)
    if isinstance(result.get("report"), str):
        result["report"] = json.loads(result["report"])
    result["status"] = state.status_name(result["status"])
    row = state.row(result["resource_id"])
    result["started"] = row.started.isoformat() if row.started else None
    result["attempts"] = row.attempts
    return result


def resource_validation_run(context, data_dict):
    """Start validating a resource (upstream's action, minus mend 6's defect).

    :param resource_id: id of the resource to validate
    :type resource_id: string
    :param async: queue the job on the RQ worker (default) or run it now
    :type async: bool
    """
    tk.check_access("resource_validation_run", context, data_dict)
    if not data_dict.get("resource_id"):
        raise tk.ValidationError({"resource_id": [tk._("Missing value")]})
    resource = tk.get_action("resource_show")(
        {"user": context.get("user"), "ignore_auth": context.get("ignore_auth", False)},
        {"id": data_dict["resource_id"]})
    formats = validation_settings.get_supported_formats()
    if (resource.get("format") or "").lower() not in formats:
        raise tk.ValidationError({"format": [tk._("Unsupported resource format. Must be one of {formats}")
                                             .format(formats=",".join(formats))]})
    if not resource.get("url") and resource.get("url_type") != "upload":
        raise tk.ValidationError({"url": [tk._("Resource must have a valid URL or an uploaded file")]})

    if tk.asbool(data_dict.get("async", True)):
        jobs.enqueue(resource)
    else:
        state.queued(resource)
        jobs.validate_resource(resource["id"])
