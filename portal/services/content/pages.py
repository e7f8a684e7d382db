"""The seller's own pages (terms of sale, legal notice, delivery, contact...): written by staff
in a Markdown subset per language, draft or published. Publishing the page `terms` freezes a
new TermsVersion; checkout records the one in force on each order."""

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import SellerPage, TermsVersion
from portal.services import DomainError
from portal.services.accounts import record
from portal.services.text import clean_line, clean_text

TERMS = "terms"
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
MAX_BODY = 60_000


class PageInvalid(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())), next(iter(errors)))
        self.errors = errors


def published_pages() -> list[SellerPage]:
    return list(db.session.scalars(select(SellerPage).where(SellerPage.published.is_(True))
                                   .order_by(SellerPage.footer_position, SellerPage.id)))


def all_pages() -> list[SellerPage]:
    return list(db.session.scalars(select(SellerPage).order_by(SellerPage.footer_position,
                                                               SellerPage.id)))


def page(slug: str, *, drafts: bool = False) -> SellerPage | None:
    if not SLUG.match(slug or ""):
        return None
    found = db.session.scalar(select(SellerPage).where(SellerPage.slug == slug))
    if found is None or not (found.published or drafts):
        return None
    return found


def page_by_id(page_id: int) -> SellerPage | None:
    return db.session.get(SellerPage, page_id)


def save_page(staff, found: SellerPage | None, form) -> SellerPage:
    """Creates or changes a page from the staff's form; publishing `terms` freezes a version.
    Refused field by field (PageInvalid), nothing written."""
    values = {name: clean_line(form.get(name, ""))[:200] for name in ("title_fr", "title_en")}
    bodies = {name: clean_text(form.get(name, "")) for name in ("body_fr", "body_en")}
    slug = found.slug if found else clean_line(form.get("slug", "")).lower()
    errors = {}
    if not SLUG.match(slug):
        errors["slug"] = _("Use lower-case letters, digits and dashes, such as delivery-info.")
    elif found is None and db.session.scalar(select(SellerPage.id).where(SellerPage.slug == slug)):
        errors["slug"] = _("A page already has this address.")
    if not values["title_fr"]:
        errors["title_fr"] = _("Give the page a French title.")
    for name, body in bodies.items():
        if len(body) > MAX_BODY:
            errors[name] = _("At most %(n)s characters.", n=MAX_BODY)
    publish = form.get("published") in ("1", "on", "y", "true")
    if publish and not bodies["body_fr"].strip():
        errors["body_fr"] = _("A published page needs a French text.")
    if errors:
        raise PageInvalid(errors)
    if found is None:
        found = SellerPage(slug=slug, footer_position=0)
        db.session.add(found)
    found.title_fr, found.title_en = values["title_fr"], values["title_en"]
    found.body_fr, found.body_en = bodies["body_fr"], bodies["body_en"]
    found.published = publish
    db.session.flush()
    if slug == TERMS and publish:
        _freeze_terms(staff, found)
    record(staff, "page.saved", found, {"slug": found.slug, "published": publish})
    return found


def _freeze_terms(staff, found: SellerPage) -> None:
    latest = current_terms()
    if latest and (latest.title_fr, latest.title_en, latest.body_fr, latest.body_en) == (
            found.title_fr, found.title_en, found.body_fr, found.body_en):
        return  # nothing changed in the text: the version in force stays
    number = (db.session.scalar(select(func.max(TermsVersion.number))) or 0) + 1
    db.session.add(TermsVersion(number=number, title_fr=found.title_fr,
                                title_en=found.title_en, body_fr=found.body_fr,
                                body_en=found.body_en,
                                published_by_id=getattr(staff, "id", None)))
    db.session.flush()


def current_terms() -> TermsVersion | None:
    """The terms of sale in force: the latest published version."""
    return db.session.scalar(select(TermsVersion).order_by(TermsVersion.number.desc()).limit(1))


def terms_version(number: int) -> TermsVersion | None:
    return db.session.scalar(select(TermsVersion).where(TermsVersion.number == number))
