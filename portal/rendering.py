"""One helper to answer a page or a fragment of it, for htmx and plain requests alike."""

from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block


def wants_fragment() -> bool:
    """An htmx swap gets a block; normal loads, boosted links and history restores the page.

    A boosted form aimed at a part of the page (hx-target, e.g. one cart line) is a swap
    too: htmx names its target's id. Boosted whole pages aim at <body>, which has none.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.history_restore_request:
        return False
    return not htmx.boosted or bool(htmx.target)


def render(template: str, block: str | None = None, status_code: int = 200, **context):
    if block and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status_code)
    response.headers.add("Vary", "HX-Request")
    return response
