"""Fixtures of the page tests: a signed-in user's request headers."""
from __future__ import annotations

import pytest

from ckan.tests import factories as ckan_factories

from ckanext.satudata.tests.workflow.conftest import portal  # noqa: F401  (fixture)


@pytest.fixture
def login(portal):  # noqa: F811
    """headers(user): an API token header for USER, made once per user and test."""
    tokens = {}

    def headers(user) -> dict:
        if user["name"] not in tokens:
            tokens[user["name"]] = ckan_factories.APIToken(user=user["name"])["token"]
        return {"Authorization": tokens[user["name"]]}
    return headers
