"""Blueprints of ckanext-satudata (registered by tk.blanket.blueprints)."""
from ckanext.satudata.views.workflow import workflow

__all__ = ["workflow"]
