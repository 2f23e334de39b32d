# encoding: utf-8
# ckanext is a namespace package shared by CKAN and its extensions.
try:
    import pkg_resources
    pkg_resources.declare_namespace(__name__)
except ImportError:
    import pkgutil
    __path__ = pkgutil.extend_path(__path__, __name__)
