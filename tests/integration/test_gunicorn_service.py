"""The deployment the README documents: `gunicorn -c python:portal.gunicorn_conf
portal.wsgi:app`, run from a directory without the repository's wsgi.py, with two workers."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from e2e.conftest import _free_port, _wait_for

pytestmark = pytest.mark.parametrize("app", ["sqlite"], indirect=True)


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_gunicorn_config_serves_readiness_metrics_of_every_worker_and_json_logs(tmp_path, app):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "PROMETHEUS"))}
    env.update({
        "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
        "PORTAL_SECRET_KEY": "gunicorn-test-secret-key",
        "PORTAL_METRICS_TOKEN": "scrape-me",
        "PORTAL_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    })
    upgrade = subprocess.run([sys.executable, "-m", "portal", "db", "upgrade"], env=env,
                             cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    port = _free_port()
    env["GUNICORN_CMD_ARGS"] = f"--bind 127.0.0.1:{port} --workers 2 --threads 2"
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:portal.gunicorn_conf",
             "portal.wsgi:app"], env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/healthz")
        assert _get(url + "/readyz")[0] == 200
        for n in range(12):
            assert _get(url + "/catalog/", {"X-Request-Id": f"rid-{n}"})[0] == 200
        _get(url + "/password/set/very-secret-token-123")
        assert _get(url + "/metrics")[0] == 404
        status, body = _get(url + "/metrics", {"Authorization": "Bearer scrape-me"})
    finally:
        server.terminate()
        server.wait(timeout=15)
    assert status == 200
    # Whichever worker answered the scrape, it counts what both served.
    line = 'portal_http_responses_total{endpoint="catalog.index",method="GET",status="200"} '
    assert [float(x.split()[-1]) for x in body.splitlines() if x.startswith(line)] == [12.0]
    assert 'portal_outbox_unsent_messages{state="pending"} 0.0' in body

    time.sleep(0.2)
    entries = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    access = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert {f"rid-{n}" for n in range(12)} <= {e.get("request_id") for e in access}
    assert "very-secret-token-123" not in log.read_text()
    assert any("/password/set/[redacted]" in e["message"] for e in access)
