"""Flask blueprints of ckanext-satudata (registered by tk.blanket.blueprints).

One module per area; each exposes its blueprint here.
"""
from ckanext.satudata.views.dcat import dcat_gone
from ckanext.satudata.views.tombstone import tombstone

__all__ = ["tombstone", "dcat_gone"]
