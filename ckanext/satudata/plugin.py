import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.satudata import lang, search, search_json
from ckanext.satudata.harvest import national
from ckanext.satudata.indah import romantik
from ckanext.satudata.logic import action
from ckanext.satudata.security import listings, search_guard
from ckanext.satudata.workflow import calendar, display, service, subscriptions, visibility


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.actions(action.registered_actions)
@tk.blanket.auth_functions
@tk.blanket.cli
@tk.blanket.blueprints
class SatudataPlugin(DefaultTranslation, p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.ISignal)

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "satudata")

    def configure(self, config):
        # Bad holidays, office hours or time zone stop start-up instead of skewing due dates.
        calendar.WorkCalendar.from_config(config)
        service.load_configured_workflows()
        visibility.watch_activities()

    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()

    def dataset_facets(self, facets_dict, package_type):
        # Replaced, not updated: the portal has no groups, and the order matters.
        facets_dict.clear()
        facets_dict.update(search.facet_titles(lang.current()))
        return facets_dict

    def organization_facets(self, facets_dict, organization_type, package_type):
        # An OPD's page: the same facets, less the one OPD it lists.
        facets_dict.clear()
        facets_dict.update(search.facet_titles(lang.current(), without=("organization",)))
        return facets_dict

    def before_dataset_index(self, pkg_dict):
        validated = search.validated(pkg_dict)
        extra = search.index_fields(validated)
        search.store_state(pkg_dict, validated)
        search.drop_nested(pkg_dict)
        text = extra.pop("text", [])
        pkg_dict.update(extra)
        pkg_dict["text"] = list(pkg_dict.get("text") or []) + text
        return pkg_dict

    def after_dataset_create(self, context, pkg_dict):
        service.start(model.Package.get(pkg_dict["id"]))

    def after_dataset_update(self, context, pkg_dict):
        visibility.relabel_activities(model.Package.get(pkg_dict["id"]))

    def after_dataset_show(self, context, pkg_dict):
        state = service.state_id(model.Package.get(pkg_dict["id"]))
        if state:
            pkg_dict["satudata_state"] = state
        visibility.hide_unreadable_references(pkg_dict, context)
        return pkg_dict

    def before_resource_create(self, context, resource):
        romantik.check_letter(context, resource)

    def before_resource_update(self, context, current, resource):
        romantik.check_letter(context, resource, current.get("package_id"),
                              was_letter=current.get("resource_type") == romantik.LETTER)

    def before_dataset_search(self, search_params):
        listings.narrow_search(search_params)
        return search_guard.check(search_params)

    def after_dataset_search(self, search_results, search_params):
        results = search_results["results"]
        display.add_states(results)
        search.label_facets(search_results.get("search_facets", {}), lang.current())
        visibility.hide_unpublished_references(results)
        if national.wanted():
            for result in results:
                national.add(result)
        search_json.for_the_api(search_results)
        return search_results

    def get_dataset_labels(self, dataset_obj):
        return visibility.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj):
        return visibility.user_labels(user_obj)
