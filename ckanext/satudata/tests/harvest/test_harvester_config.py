"""The satudata harvester's source config (harvest/harvester.py), checked when a
harvest source is saved.

The checks run in a child Python: importing ckanext-harvest's model maps a
``harvest_objects`` relation onto CKAN's Package, and this portal's test
database, like a portal without the harvest plugin, has no ``harvest_object``
table; every later purge in the test process would then fail.
"""
import json
import subprocess
import sys

import pytest

CHECK = """
import json, sys
from ckanext.satudata.harvest.harvester import SatudataHarvester
answers = []
for config in json.load(sys.stdin):
    try:
        answers.append({"ok": SatudataHarvester().validate_config(config)})
    except ValueError as error:
        answers.append({"error": str(error)})
print(json.dumps({"answers": answers, "name": SatudataHarvester().info()["name"]}))
"""

ACCEPTED = {"withdrawn": "delete", "organization_prefix": "kab-pasuruan-",
            "organization_map": {"dinkes": "dinas-kesehatan-kab-pasuruan"}, "force_all": True}
REFUSED = [
    ({"withdrawn": "keep"}, "withdrawn"),
    ({"organization_prefix": 3}, "organization_prefix"),
    ({"organization_map": ["dinkes"]}, "organization_map"),
    ({"organization_map": {"dinkes": 1}}, "organization_map"),
    ({"force_all": "yes"}, "force_all"),          # the CKAN harvester's own checks still run
]


@pytest.fixture(scope="module")
def checked():
    configs = [json.dumps(ACCEPTED), ""] + [json.dumps(c) for c, _ in REFUSED]
    done = subprocess.run([sys.executable, "-c", CHECK], input=json.dumps(configs),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_its_keys_are_accepted(checked):
    accepted, empty = checked["answers"][:2]
    assert json.loads(accepted["ok"]) == ACCEPTED
    assert empty == {"ok": ""}
    assert checked["name"] == "satudata"


@pytest.mark.parametrize("index, wrong", [(i, w) for i, (_, w) in enumerate(REFUSED)])
def test_wrong_values_are_refused(checked, index, wrong):
    answer = checked["answers"][2 + index]
    assert "ok" not in answer, answer
    assert wrong in answer["error"]


def test_the_test_process_never_loads_the_harvest_model():
    """Every test module is imported before the first test runs: one that imports the
    harvester (or ckanext-harvest's model) at its top breaks every purge after it."""
    assert "ckanext.harvest.model" not in sys.modules
