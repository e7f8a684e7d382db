"""An approval link's token never reaches the access log (it is a bearer credential)."""

import importlib


def test_the_access_log_redacts_approval_link_tokens_but_keeps_the_request_id(monkeypatch,
                                                                               tmp_path):
    # Importing gunicorn's settings sets PROMETHEUS_MULTIPROC_DIR when it is unset, which
    # would switch this test process's /metrics to multiprocess mode: give it one to keep.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    secret_paths = importlib.import_module("portal.gunicorn_conf").SECRET_PATHS
    line = "GET /approvals/42/link/eyJhIjoyfQ.sig-nature_x/approve?x=1 HTTP/1.1"
    redacted = secret_paths.sub(r"\1[redacted]", line)
    assert redacted == "GET /approvals/42/link/[redacted]/approve?x=1 HTTP/1.1"
    assert secret_paths.sub(r"\1[redacted]", "GET /approvals/42 HTTP/1.1") == \
        "GET /approvals/42 HTTP/1.1"
