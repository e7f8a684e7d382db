"""Pieces of the layout every signed-in page shows, rendered once per variant in a process.

The bottom bar and the offline queue's messages were rendered on every page: some forty
translated labels, URLs and icons, about a fifth of a page of the layout only. Each depends
on a few values, all in its key (the language, the mount's path, the tabs, the tab the page
is on, the cart's count): the same key always gives the same HTML, whoever asks, so nothing
needs forgetting. The templates stay the source (partials/_bottom_nav.html,
offline/_queue.html); this module only keeps what they gave.
"""

from flask import current_app, request
from jinja2 import pass_context
from markupsafe import Markup

from portal.memory import kept

_KEPT = "portal.layout"
# Variants are few (roles' tab sets × the tab a page is on × counts × languages): past this
# many, start afresh.
MAX_KEPT = 4_000


@pass_context
def bottom_nav(context) -> Markup:
    """partials/_bottom_nav.html for this page."""
    from portal.i18n import locale_name
    from portal.services.navigation import current_tab
    from portal.web import navigation_context

    facts = navigation_context()
    tabs = facts["tabs"]
    count = context.get("cart_count", facts["cart_count"])
    # Tabs are the module constants of services/navigation.py: their ids name them.
    key = ("nav", locale_name(), request.script_root, tuple(map(id, tabs)),
           current_tab(tabs, request.endpoint), count, bool(context.get("oob")))
    return _kept(key, context, "partials/_bottom_nav.html")


@pass_context
def offline_queue(context) -> Markup:
    """offline/_queue.html: its messages only depend on the language."""
    from portal.i18n import locale_name

    return _kept(("queue", locale_name()), context, "offline/_queue.html")


def _kept(key: tuple, context, template: str) -> Markup:
    variants = kept(_KEPT, MAX_KEPT)
    html = variants.get(key)
    if html is None:
        # Rendered with the page's own variables, as the include did.
        html = variants.keep(key, Markup(  # noqa: S704 -- the template's own escaped output
            current_app.jinja_env.get_template(template).render(context.get_all())))
    return html


def init_app(app) -> None:
    app.jinja_env.globals.update(bottom_nav=bottom_nav, offline_queue=offline_queue)
