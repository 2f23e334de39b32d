"""Flask blueprints of ckanext-satudata (registered by tk.blanket.blueprints).

One module per area; each exposes its blueprint here.
"""
from ckanext.satudata.views.daftar import daftar_pages
from ckanext.satudata.views.dcat import dcat_gone
from ckanext.satudata.views.documents import documents
from ckanext.satudata.views.errors import errors
from ckanext.satudata.views.excel import excel
from ckanext.satudata.views.indah import indah
from ckanext.satudata.views.jabatan import jabatan
from ckanext.satudata.views.public import public
from ckanext.satudata.views.request import data_requests
from ckanext.satudata.views.revision import revision
from ckanext.satudata.views.tombstone import tombstone
from ckanext.satudata.views.workflow import workflow

__all__ = ["daftar_pages", "data_requests", "dcat_gone", "documents", "errors", "excel", "indah",
           "jabatan", "public", "revision", "tombstone", "workflow"]
