"""Blueprints of ckanext-satudata (registered by tk.blanket.blueprints)."""
from ckanext.satudata.views.public import public
from ckanext.satudata.views.workflow import workflow

__all__ = ["public", "workflow"]
