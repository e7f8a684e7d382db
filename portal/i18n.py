"""French and English: locale choice, and catalogs read straight from the .po files.

Each feature keeps its own `translations/<lang>/<feature>.po`, so features never edit one
shared file; they are merged in memory at first use (no compile step, no binary in git).
"""

import gettext
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import current_app, g, request, session
from flask_babel import Domain, get_locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from portal.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


class PoTranslations(Translations):
    def __init__(self, catalog):
        super().__init__()
        self.plural = gettext.c2py(catalog.plural_expr)
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                for index, text in enumerate(message.string):
                    if text:
                        self._catalog[(message.id[0], index)] = text
            else:
                self._catalog[message.id] = message.string


@cache
def catalog_for(locale: str) -> NullTranslations:
    files = sorted((TRANSLATIONS_DIR / locale).glob("*.po"))
    if not files:
        return NullTranslations()
    merged = None
    for path in files:
        with path.open("rb") as fh:
            translations = PoTranslations(read_po(fh, locale=locale))
        if merged is None:
            merged = translations
        else:
            merged._catalog.update(translations._catalog)
    return merged


def current_catalog() -> NullTranslations:
    """The catalog of the locale in force (the request's, or one forced for an email).

    A page asks a dozen times: the answer is kept for the locale object in force (the same
    object all along a request; an email's forced locale is another one)."""
    locale = get_locale()
    kept = g.get("_po_catalog") if locale is not None else None
    if kept is not None and kept[0] is locale:
        return kept[1]
    found = catalog_for(str(locale))
    if locale is not None:
        g._po_catalog = (locale, found)
    return found


class PoDomain(Domain):
    def get_translations(self):
        return current_catalog()


# What `{{ _("...") }}` and `{% trans %}` call: Jinja's newstyle gettext (autoescaped, always
# %-formatted) in one call, where Jinja nests three (its alias, its newstyle wrapper, the
# catalog's) and Flask-Babel looks the domain and locale up each time: a 100-line cart makes
# 1,300 of them. A render finds its catalog once (`translations` in the template context, see
# portal.web); macros imported without context look it up.
@pass_context
def _template_gettext(context, string, **variables):
    rv = (context.get("translations") or current_catalog()).ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 -- our own catalog's text, as Jinja marks it
    if not variables and "%" not in rv:
        return rv  # what `rv % {}` gives when there is nothing to format or unescape
    return rv % variables


@pass_context
def _template_ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    rv = (context.get("translations") or current_catalog()).ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 -- our own catalog's text, as Jinja marks it
    return rv % variables


def select_locale() -> str:
    """A signed-in user's stored language wins, then the session's switch, then the browser,
    then the storefront's."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    front = g.get("storefront")  # set by the storefront hook of a request (never read here)
    fallback = front.language if front and front.language in languages else None
    return request.accept_languages.best_match(languages) or fallback or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = PoDomain()
    app.jinja_env.newstyle_gettext = True
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext,
                                 ngettext=_template_ngettext)
    from portal.services.approvals import request_reason
    from portal.services.catalog import case_label, kind_choices
    from portal.services.credit import payment_details
    from portal.services.ordering import place_words
    from portal.services.orders import event_text, line_name
    from portal.services.selling import (
        legal_mention,
        order_rates,
        rate_label,
        storefront_country,
        tax_class_choices,
    )

    # Stored facts put into words in the reader's language (the page's, or an email's).
    app.jinja_env.globals.update(line_name=line_name, approval_reason=request_reason,
                                 event_text=event_text, case_label=case_label,
                                 place_words=place_words, pack_kinds=kind_choices,
                                 vat_rates=order_rates, rate_label=rate_label,
                                 tax_mention=legal_mention, payment_details=payment_details,
                                 tax_classes=lambda: tax_class_choices(storefront_country()))
