"""French and English: locale choice, and catalogs read straight from the .po files.

Each feature keeps its own `translations/<lang>/<feature>.po`, so features never edit one
shared file; they are merged in memory at first use (no compile step, no binary in git).
"""

from functools import cache
from gettext import c2py
from pathlib import Path

from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import current_app, g, request, session
from flask_babel import Domain, get_locale
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

from portal.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


class PoTranslations(Translations):
    def __init__(self, catalog):
        super().__init__()
        self.plural = c2py(catalog.plural_expr)
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


def locale_name() -> str:
    """The locale in force as a string ("fr", "en"): the request's, or one forced for an
    email; "fr" (the seller's) outside any app context."""
    return _locale_in_force() or "fr"


def _locale_in_force() -> str | None:
    """The locale in force as a string; None outside any app context.

    A long page asks hundreds of times (each amount, date and translated label), and
    Flask-Babel's get_locale() goes through `g` three times a call. Its answer lives in its
    own per-context namespace (`g._flask_babel`, Flask-Babel 4.0, pinned), which force_locale
    and refresh change in place: read there directly, with its string kept beside it for the
    same locale object. Until get_locale() has run, or without that namespace, ask it."""
    try:
        state = g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:  # no app context: a script, the worker between jobs
        return None
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        locale = get_locale()
        if locale is None:
            return None
        state = g._get_current_object().__dict__.get("_flask_babel")
    kept = getattr(state, "portal_locale_name", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    name = str(locale)
    if state is not None:
        state.portal_locale_name = (locale, name)
    return name


def current_catalog() -> NullTranslations:
    """The catalog of the locale in force (the request's, or one forced for an email);
    outside any app context, none (the English source texts), as Flask-Babel answers."""
    name = _locale_in_force()
    return catalog_for(name) if name else NullTranslations()


def gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext, for helpers called on every line of a long page: the same
    catalog and formatting, without looking the domain and locale up through `g` each time."""
    text = current_catalog().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return current_catalog().ungettext(singular, plural, num) % variables


class PoDomain(Domain):
    def get_translations(self):
        return current_catalog()


# What `{{ _("...") }}` and `{% trans %}` call: Jinja's newstyle gettext (autoescaped, always
# %-formatted) in one call, where Jinja nests three (its alias, its newstyle wrapper, the
# catalog's) and Flask-Babel looks the domain and locale up each time: a 100-line cart makes
# 1,300 of them. They take the render's evaluation context (for autoescaping), not its
# context: Jinja copies the whole context (every global and variable) for a function that
# takes it each time it is called in a loop or in a block that sets a variable, which is
# where most labels are. The catalog is the locale's in force at each call: a module
# imported without context is kept by Jinja across renders, in any language.
@pass_eval_context
def _template_gettext(eval_ctx, string, **variables):
    rv = current_catalog().ugettext(string)
    if eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 -- our own catalog's text, as Jinja marks it
    if not variables and "%" not in rv:
        return rv  # what `rv % {}` gives when there is nothing to format or unescape
    return _formatted(rv, variables)


# Values that need no escaping: text escaped already (exactly Markup) and integers (exactly
# int). A cart line puts its product's escaped name into eleven labels: plain formatting
# gives the same text as `Markup % values` without wrapping and escaping each value again.
_ESCAPED = (Markup, int)


def _formatted(rv, variables: dict):
    if type(rv) is Markup and all(type(v) in _ESCAPED for v in variables.values()):
        return Markup(str.__mod__(rv, variables))  # noqa: S704 -- every value is escaped
    return rv % variables


@pass_eval_context
def _template_ngettext(eval_ctx, singular, plural, num, **variables):
    variables.setdefault("num", num)
    rv = current_catalog().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        rv = Markup(rv)  # noqa: S704 -- our own catalog's text, as Jinja marks it
    return _formatted(rv, variables)


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
