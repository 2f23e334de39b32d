"""The satudata harvester's source config (harvest/harvester.py), checked when a
harvest source is saved."""
import json

import pytest

from ckanext.satudata.harvest.harvester import SatudataHarvester


def _check(config: dict) -> dict:
    return json.loads(SatudataHarvester().validate_config(json.dumps(config)))


def test_its_keys_are_accepted():
    config = {"withdrawn": "delete", "organization_prefix": "kab-pasuruan-",
              "organization_map": {"dinkes": "dinas-kesehatan-kab-pasuruan"}, "force_all": True}
    assert _check(config) == config
    assert SatudataHarvester().validate_config("") == ""
    assert SatudataHarvester().info()["name"] == "satudata"


@pytest.mark.parametrize("config, wrong", [
    ({"withdrawn": "keep"}, "withdrawn"),
    ({"organization_prefix": 3}, "organization_prefix"),
    ({"organization_map": ["dinkes"]}, "organization_map"),
    ({"organization_map": {"dinkes": 1}}, "organization_map"),
    ({"force_all": "yes"}, "force_all"),          # the CKAN harvester's own checks still run
])
def test_wrong_values_are_refused(config, wrong):
    with pytest.raises(ValueError, match=wrong):
        _check(config)
