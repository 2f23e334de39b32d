import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.satudata import search


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.cli
class SatudataPlugin(DefaultTranslation, p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)

    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "satudata")

    def dataset_facets(self, facets_dict, package_type):
        facets_dict.update(search.facet_titles(tk.h.lang() or "id"))
        return facets_dict

    def before_dataset_index(self, pkg_dict):
        extra = search.index_fields(search.validated(pkg_dict))
        search.drop_nested(pkg_dict)
        text = extra.pop("text", [])
        pkg_dict.update(extra)
        pkg_dict["text"] = list(pkg_dict.get("text") or []) + text
        return pkg_dict
