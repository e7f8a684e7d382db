"""The WSGI application for servers: `gunicorn -c python:portal.gunicorn_conf portal.wsgi:app`.

Part of the installed package (`pip install .`), unlike the repository's top-level wsgi.py,
which imports it from here.
"""

from portal import assets, create_app

app = create_app()
# Pages without their styles and htmx would look broken: no start without `portal build`.
assets.require_built(app)
