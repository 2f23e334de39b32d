"""The orchestration scripts fail clearly when a port is taken."""
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def taken_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize("service, library, start, variable", [
    ("postgres", "postgres", "pg_start", "SATUDATA_PG_PORT"),
    ("redis", "redis", "redis_start", "SATUDATA_REDIS_PORT"),
    ("solr", "solr", "solr_core ckan && solr_start", "SATUDATA_SOLR_PORT"),
    ("web", "ckan", "ckan_web_port_free", "SATUDATA_WEB_PORT"),
])
def test_taken_port_names_the_service_and_the_fix(
        tmp_path, taken_port, service, library, start, variable):
    script = (
        f"set -euo pipefail; cd {ROOT}; "
        f"source scripts/lib/common.sh; source scripts/lib/{library}.sh; {start}"
    )
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "SATUDATA_STATE": str(tmp_path / "state"),
        "SATUDATA_VENV": str(Path(sys.executable).parents[1]),
        variable: str(taken_port),
    }

    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True,
                          text=True, timeout=60)

    assert done.returncode == 1
    assert f"[satudata] {service}: port {taken_port} is taken by another process" in done.stderr
    assert f"fix: stop that process, or set {variable}=" in done.stderr \
        or f"fix: free it or set {variable}=" in done.stderr
