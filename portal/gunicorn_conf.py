"""gunicorn settings for the portal: `gunicorn -c python:portal.gunicorn_conf portal.wsgi:app`.

Defaults for one host behind a reverse proxy; any of them can be changed on the command line
or in GUNICORN_CMD_ARGS (`--workers 8`, `--bind 0.0.0.0:8000`), which win over this file.

Metrics: every worker writes its counters to PROMETHEUS_MULTIPROC_DIR (made here when unset,
emptied at start), /metrics adds them up, and a worker's files are marked dead when it exits.
"""

import os
import re
import tempfile
from pathlib import Path

from gunicorn import glogging

# Must be set before any worker imports prometheus_client (the app does, at import).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="portal-metrics-")

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
# Requests spend most of their time waiting on PostgreSQL: two workers per core, each with
# a few threads, keep the cores busy without one slow page holding a whole process.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1), 8))
worker_class = "gthread"
threads = 4
# A page answers in well under a second; 30 s catches a stuck worker without cutting a
# large CSV import check short. Long-lived keep-alives are the proxy's job.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows unbounded; jitter spreads them.
max_requests = 5000
max_requests_jitter = 500
# Links with a secret in their path (set-password, approval links) are redacted from the
# access log.
SECRET_PATHS = re.compile(r"(/password/set/|/approvals/\d+/link/)[^/?\s]+")
accesslog = "-"
access_log_format = ('%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s '
                     '"%(a)s"')
errorlog = "-"


class PortalLogger(glogging.Logger):
    """gunicorn's logger with secrets taken out of the request line."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = SECRET_PATHS.sub(r"\1[redacted]", atoms[key])
        return atoms


logger_class = PortalLogger

if os.environ.get("PORTAL_LOG_FORMAT") == "json":
    # gunicorn's own lines (start, worker timeouts, access) as JSON too; the root handler is
    # the one the app's records reach (portal/logs.py keeps a handler it finds there).
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json",
                       "stream": "ext://sys.stderr"},
            "stdout": {"class": "logging.StreamHandler", "formatter": "json",
                       "stream": "ext://sys.stdout"},
        },
        "root": {"handlers": ["stderr"], "level": os.environ.get("PORTAL_LOG_LEVEL", "INFO")},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }


def on_starting(server):
    """Counters of a previous run would be added to this one's: start from an empty dir."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):  # only prometheus-client's files: the dir may be shared
        stale.unlink(missing_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
