"""The WSGI application for servers: `gunicorn -c python:portal.gunicorn_conf portal.wsgi:app`.

Part of the installed package (`pip install .`), unlike the repository's top-level wsgi.py,
which imports it from here.
"""

from portal import create_app

app = create_app()
