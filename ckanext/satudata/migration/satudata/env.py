"""Alembic environment; CKAN hands it the configured database URL."""
from logging.config import fileConfig

from alembic import context

from ckanext.satudata.migration import run

# Keep the loggers CKAN already configured (migrations also run in-process).
fileConfig(context.config.config_file_name, disable_existing_loggers=False)
run(__file__)
