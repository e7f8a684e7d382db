"""Small pieces of markup called on every line of long lists (a cart of 100 lines calls them
hundreds of times): plain Python globals, about ten times cheaper than Jinja macros."""

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

_PATHS = {
    "search": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5 21 21"/>',
    "bolt": '<path d="M13 2 4 14h7l-1 8 9-12h-7z"/>',
    "list": '<path d="M8 6h13M8 12h13M8 18h13M3 6h1M3 12h1M3 18h1"/>',
    "orders": '<path d="M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10"/>',
    "cart": '<path d="M3 4h2l2.5 11h11L21 7H6.5"/><circle cx="9" cy="19.5" r="1.5"/>'
            '<circle cx="17" cy="19.5" r="1.5"/>',
    "home": '<path d="M3 11 12 4l9 7v9h-6v-6H9v6H3z"/>',
    "check": '<path d="M4 12l5 5L20 6"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "minus": '<path d="M5 12h14"/>',
    "truck": '<path d="M2 6h12v10H2zM14 10h4l4 4v2h-8"/><circle cx="6" cy="18" r="2"/>'
             '<circle cx="18" cy="18" r="2"/>',
    "scan": '<path d="M3 7V4h3M18 4h3v3M21 17v3h-3M6 20H3v-3M7 8v8M10 8v8M13 8v8M17 8v8"/>',
    "users": '<circle cx="9" cy="8" r="3.5"/><path d="M2 20c0-4 3-6 7-6s7 2 7 6"/>'
             '<path d="M16 4.5a3.5 3.5 0 0 1 0 7M18 14c2.5.5 4 2.5 4 6"/>',
    "filter": '<path d="M3 5h18l-7 8v6l-4 2v-8z"/>',
    "close": '<path d="M6 6l12 12M18 6 6 18"/>',
}
# Our own constant SVG, never user input.
ICONS = {name: Markup('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" '  # noqa: S704
                      f'focusable="false">{paths}</svg>') for name, paths in _PATHS.items()}


def icon(name: str) -> Markup:
    """A decorative line icon (hidden from assistive technology: the control names itself)."""
    return ICONS[name]


def csrf() -> Markup:
    """The CSRF field of a plain form (htmx sends the same token in a header)."""
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % generate_csrf()


# An id no row reaches (ids are 32-bit): where a row's id goes in a URL built once per page.
_SLOT = 2**31 - 1


def url_pattern(endpoint: str, id_name: str, **values) -> str:
    """The URL of `endpoint` with `%d` where the id named `id_name` goes, for a page of rows:
    one url_for for the page, then `pattern % row.id` on each row."""
    from flask import url_for

    url = url_for(endpoint, **{id_name: _SLOT}, **values)
    return url.replace("%", "%%").replace(str(_SLOT), "%d")


def delivery_parts(parts, at_branch=None) -> Markup:
    """A line's delivery: one date, or each part with its date ("7 jeu. 10 déc. · 5 mer. 16
    déc."); `at_branch`: collected at a branch (click-and-collect), ready from that day."""
    if not parts:
        return Markup("")
    from portal.formatting import format_date
    from portal.i18n import gettext, ngettext

    if len(parts) == 1:
        part = parts[0]
        text = gettext("To collect from %(date)s") if at_branch else gettext("Delivery %(date)s")
        pills = [_pill(part.in_stock, Markup(text) % {  # noqa: S704 -- our catalog's text
            "date": format_date(part.on, "EEE d MMM")})]
    else:
        pills = ["  " + _pill(part.in_stock, ngettext(
            "%(num)s unit %(date)s", "%(num)s units %(date)s", part.quantity,
            date=format_date(part.on, "EEE d MMM"))) for part in parts]
    return Markup('<p class="delivery-parts">%s</p>') % Markup("").join(pills)


def _pill(in_stock: bool, text: Markup) -> Markup:
    return Markup('<span class="pill %s">%s</span>') % ("ok" if in_stock else "warn", text)


def no_substitute_button(url: str, marked: bool, name: str) -> Markup:
    """One tap marks a line "no substitute" or clears the mark: a submit button of the line's
    form (works without JavaScript; htmx swaps the line)."""
    from portal.i18n import gettext

    return Markup(
        '<button class="btn small no-sub" type="submit" formaction="%s" name="no_substitute" '
        'value="%s"\n        aria-pressed="%s" aria-label="%s">%s%s</button>') % (
        url, "0" if marked else "1", "true" if marked else "false",
        Markup(gettext("No substitute for %(name)s")) % {"name": name},  # noqa: S704
        ICONS["check"] + " " if marked else "",
        Markup(gettext("No substitute")))  # noqa: S704 -- our own catalog's text


def tracking_link(carrier: str, number: str) -> Markup:
    """A tracking number as a link to its carrier's page; plain text for an unknown carrier."""
    from flask import current_app
    from flask_babel import gettext

    from portal.services.orders import tracking_url

    url = tracking_url(carrier, number, current_app.config.get("CARRIER_TRACKING_URLS"))
    if url is None:
        return Markup('<code class="tracking-number">%s</code>') % number
    return Markup('<a class="tracking-link" href="%s" target="_blank" rel="noopener noreferrer">'
                  '<code class="tracking-number">%s</code><span class="sr"> (%s)</span></a>'
                  ) % (url, number, gettext("opens %(carrier)s tracking", carrier=carrier))


def init_app(app) -> None:
    from portal.access import may_open
    from portal.services.navigation import current_tab

    app.jinja_env.globals.update(icon=icon, csrf=csrf, url_pattern=url_pattern,
                                 current_tab=current_tab, delivery_parts=delivery_parts,
                                 no_substitute_button=no_substitute_button,
                                 may_open=may_open, tracking_link=tracking_link)
