"""Flask blueprints of the plugin (registered by tk.blanket.blueprints)."""
from ckanext.satudata.views.public import public

__all__ = ["public"]
