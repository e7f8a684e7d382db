"""What a serving process keeps: its memos, bounded (`kept`), and the garbage collector, for
which what lives as long as the process is frozen once the process is warm.

Python's full collection walks every object the process holds; a portal process holds some
300,000 that live as long as it does (modules, the models' metadata, compiled templates,
the translation catalogs, SQLAlchemy's statement caches). A page that makes many objects (a
long cart, the home's order history) set one off every few requests, which added about
100 ms to those requests: the home page's p95 was twice its median. After
GC_FREEZE_AFTER_REQUESTS requests, once the templates and caches are loaded, one
collection runs and the survivors go to the permanent generation (`gc.freeze()`), which
full collections skip (a first freeze when the app is built). Objects made later are
collected as before; reference counting still frees frozen objects that are dropped.
"""

import gc

from flask import Flask, current_app


class Kept(dict):
    """A memo of this process, of at most `limit` entries: past that it starts afresh. What
    it holds is cheap to make again, and clearing keeps the hot path free of bookkeeping."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def keep(self, key, value):
        """`value` kept under `key`, and given back."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def kept(name: str, limit: int) -> Kept:
    """The app's memo called `name` (one per app: each test builds its own app)."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions[name] = Kept(limit)
    return found


class FreezeWhenWarm:
    """WSGI middleware: counts requests, and at the n-th collects and freezes once."""

    def __init__(self, wsgi_app, after: int):
        self.wsgi_app, self.left = wsgi_app, after

    def __call__(self, environ, start_response):
        if self.left > 0:
            self.left -= 1  # threads may race here: at worst, a second freeze
            if self.left == 0:
                freeze()
        return self.wsgi_app(environ, start_response)


def freeze() -> None:
    gc.collect()
    gc.freeze()


def init_app(app: Flask) -> None:
    """Once the app is built (the modules, models and views: most of what lives on), then
    again when the process is warm (templates, catalogs, statement caches)."""
    after = app.config["GC_FREEZE_AFTER_REQUESTS"]
    if after > 0 and not app.testing:
        freeze()
        app.wsgi_app = FreezeWhenWarm(app.wsgi_app, after)
