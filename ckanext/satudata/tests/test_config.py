"""One configuration source: the portal `make run` starts and the tests read the
same options (config/satudata.ini); they differ only by environment."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from ckan.cli import CKANConfigLoader

ROOT = Path(__file__).resolve().parents[3]

# What may differ between the run config and test.ini: where the services are,
# secrets, the site's own address and files, and the test switch. Nothing a
# user meets.
PER_ENVIRONMENT = {
    "sqlalchemy.url", "solr_url", "ckan.redis.url", "ckan.site_url", "ckan.site_id",
    "ckan.site_title", "ckan.storage_path", "SECRET_KEY", "api_token.jwt.encode.secret",
    "api_token.jwt.decode.secret", "testing", "smtp.server", "smtp.mail_from",
    "__file__", "here", "use",
}


def _load(path: Path) -> dict[str, str]:
    # Environment overrides (CKAN_*) would hide what the files say.
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("CKAN_")}
    try:
        return dict(CKANConfigLoader(str(path)).get_config())
    finally:
        os.environ.update(saved)


def _write_run_config(state: Path) -> Path:
    """The run command's own shell function, on a scratch state dir."""
    script = (f"set -euo pipefail; cd {ROOT}; source scripts/lib/common.sh; "
              "for lib in postgres redis ckan; do source scripts/lib/$lib.sh; done; ckan_config")
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "SATUDATA_STATE": str(state),
           "SATUDATA_VENV": str(Path(sys.executable).parents[1])}
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return state / "ckan.ini"


@pytest.fixture(scope="module")
def run_ini(tmp_path_factory) -> Path:
    return _write_run_config(tmp_path_factory.mktemp("state"))


def test_run_config_and_test_ini_differ_only_by_environment(run_ini):
    run, test = _load(run_ini), _load(ROOT / "test.ini")

    differing = {k for k in run.keys() | test.keys()
                 if k not in PER_ENVIRONMENT and run.get(k) != test.get(k)}

    assert differing == set(), {k: (run.get(k), test.get(k)) for k in differing}


@pytest.mark.parametrize("option, expected", [
    ("ckan.uploads_enabled", "true"),
    ("ckan.csrf_protection.ignore_extensions", "false"),
    ("ckan.auth.user_create_organizations", "false"),
    ("debug", "false"),
    ("ckan.locale_default", "id"),
    ("ckan.display_timezone", "Asia/Jakarta"),
])
def test_the_portal_people_meet_has_the_safe_user_facing_options(run_ini, option, expected):
    assert _load(run_ini)[option] == expected


def test_large_sectoral_files_fit(run_ini):
    assert int(_load(run_ini)["ckan.max_resource_size"]) >= 100


def test_run_config_keeps_its_secrets_and_is_private(tmp_path):
    state = tmp_path / "state"
    first = _load(_write_run_config(state))
    second = _load(_write_run_config(state))

    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["api_token.jwt.encode.secret"] == second["api_token.jwt.decode.secret"]
    assert len(first["SECRET_KEY"]) >= 32
    assert stat.S_IMODE((state / "ckan.ini").stat().st_mode) == 0o600


def test_a_fresh_state_dir_gets_fresh_secrets(tmp_path):
    one = _load(_write_run_config(tmp_path / "one"))
    two = _load(_write_run_config(tmp_path / "two"))

    assert one["SECRET_KEY"] != two["SECRET_KEY"]


def _compose_options() -> dict[str, str]:
    """deploy/docker-compose.yml's environment as options (ckanext-envvars' mapping:
    CKAN__A__B → ckan.a.b, CKANEXT__A__B → ckanext.a.b, CKAN___A__B → a.b)."""
    import yaml

    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    options = {}
    for name, value in compose["x-ckan-env"].items():
        if name.startswith("CKAN___"):
            key = name[len("CKAN___"):]
        elif name.startswith(("CKAN__", "CKANEXT__")):
            key = name
        else:
            continue
        options[key.lower().replace("__", ".")] = str(value)
    return options


def test_the_docker_deployment_sets_the_portal_options_of_the_one_source():
    import configparser

    shared = configparser.RawConfigParser()
    shared.optionxform = str
    shared.read(ROOT / "config" / "satudata.ini")
    compose = _compose_options()
    # The deployment chooses its own region, steward organizations and branding (.env).
    deployment_choices = {"ckanext.satudata.region.code", "ckanext.satudata.region.name",
                          "ckanext.satudata.walidata_organization",
                          "ckanext.satudata.pembina_organization", "ckan.site_title",
                          "ckan.site_logo", "ckan.site_about", "use", "debug"}

    wrong = {key: (value, compose.get(key)) for key, value in shared["app:main"].items()
             if key not in deployment_choices
             and compose.get(key) != (value + " envvars" if key == "ckan.plugins" else value)}

    assert wrong == {}
