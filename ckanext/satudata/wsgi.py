"""The portal as a WSGI application, for production servers (gunicorn).

``gunicorn ckanext.satudata.wsgi:application`` with ``CKAN_INI`` naming the
config; the run command and the Docker image start it this way. CKAN's own
``ckan run`` is the development server.
"""
import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

application = make_app(load_config(os.environ["CKAN_INI"]))
