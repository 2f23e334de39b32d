"""The portal `make run` serves never shows the debugger or a stack trace: with
PostgreSQL gone while it runs, a request (with an API token, as in the
report) gets the portal's own error page."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from ckanext.satudata.tests.conftest import ROOT

# Built from the run config as gunicorn builds it (ckanext/satudata/wsgi.py);
# this run's services through CKAN_* (as for the tests), then the database
# disappears: every connection is refused.
SERVE = textwrap.dedent("""
    import os, sys
    import sqlalchemy as sa
    from werkzeug.test import Client
    os.environ["CKAN_INI"] = sys.argv[1]
    from ckanext.satudata.wsgi import application
    import ckan.model as model
    model.Session.remove()
    model.meta.engine.dispose()
    model.init_model(sa.create_engine("postgresql://satudata:satudata@127.0.0.1:1/gone"))
    client = Client(application)
    for path in ("/api/3/action/package_search", "/dataset/"):
        answer = client.get(path, headers={"Authorization": "token-of-a-user"})
        print(path, answer.status_code, answer.get_data(as_text=True).replace(chr(10), " "))
""")


def _run_config(state: Path) -> Path:
    script = (f"set -euo pipefail; cd {ROOT}; source scripts/lib/common.sh; "
              "for lib in postgres redis ckan; do source scripts/lib/$lib.sh; done; ckan_config")
    env = dict(os.environ, SATUDATA_STATE=str(state))
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return state / "ckan.ini"


def test_run_serves_with_gunicorn_not_the_development_server():
    web = (ROOT / "scripts/lib/ckan.sh").read_text()
    start = web[web.index("ckan_web_start()"):]
    start = start[:start.index("\n}\n")]
    assert "bin/gunicorn" in start and "ckanext.satudata.wsgi:application" in start
    assert " run " not in start and "--debug" not in start


def test_a_500_shows_the_portals_page_without_debugger_or_trace(tmp_path):
    ini = _run_config(tmp_path / "state")
    assert "\ndebug = false\n" in ini.read_text()

    done = subprocess.run([sys.executable, "-c", SERVE, str(ini)], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 0, done.stderr[-3000:]
    answers = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line.startswith("/"))
    assert len(answers) == 2
    for path, answer in answers.items():
        status, page = answer.split(" ", 1)
        assert status == "500", path
        # the portal's own page, in its language
        assert re.search(r"<title>\w+ 500 - Satu Data</title>", page), path
        for leak in ("Traceback", "__debugger__", "Werkzeug", "OperationalError", "psycopg2",
                     'File "', "site-packages"):
            assert leak not in page, (path, leak)
