"""Entry point kept for a checkout: `gunicorn wsgi:app`. Installed servers use `portal.wsgi:app`
(portal/wsgi.py), which `pip install .` ships."""

from portal.wsgi import app  # noqa: F401 - what gunicorn loads
