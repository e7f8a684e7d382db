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


@cache
def _catalog_of(locale) -> NullTranslations:
    return catalog_for(str(locale))


def current_catalog() -> NullTranslations:
    """The catalog of the locale in force (the request's, or one forced for an email)."""
    return _catalog_of(get_locale())


class PoDomain(Domain):
    def get_translations(self):
        return current_catalog()


# Templates call gettext ten times per cart line: Flask-Babel's callables look the domain,
# the locale and its name up on every call (about 25 us). A render finds its catalog once
# (`translations` in the template context, see portal.web); macros imported without context
# look it up.
@pass_context
def _gettext(context, string):
    return (context.get("translations") or current_catalog()).ugettext(string)


@pass_context
def _ngettext(context, singular, plural, n):
    return (context.get("translations") or current_catalog()).ungettext(singular, plural, n)


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
    app.jinja_env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext,
                                            newstyle=True)
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
