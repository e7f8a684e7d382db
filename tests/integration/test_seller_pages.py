"""The seller's pages: staff write them in a Markdown subset per language (raw HTML and
javascript: links neutralised), preview, publish; the terms of sale are versioned and each
new order records the version its buyer accepted."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import SellerPage, TermsVersion
from tests.conftest import login
from tests.factories import cart_with, checkout_token, orders_of

EN = {"Accept-Language": "en"}
TERMS = {"slug": "terms", "title_fr": "Conditions générales de vente",
         "title_en": "Terms of sale", "body_fr": "## Paiement\n\nÀ 30 jours.",
         "body_en": "## Payment\n\nWithin 30 days.", "published": "1", "action": "save"}


@pytest.fixture
def staff(client, world):
    login(client, world.staff)
    return client


def test_staff_publish_the_terms_in_two_languages_and_anyone_reads_them(staff, app):
    assert staff.post("/staff/pages/new", data=TERMS).status_code == 303
    reader = app.test_client()
    french = reader.get("/pages/terms").get_data(as_text=True)
    english = reader.get("/pages/terms", headers=EN).get_data(as_text=True)
    assert "<h2>Paiement</h2>" in french and "Conditions générales de vente" in french
    assert "<h2>Payment</h2>" in english and "Version 1" in english
    assert db.session.scalar(select(TermsVersion.number)) == 1


def test_a_draft_is_not_shown_and_a_preview_saves_nothing(staff, app):
    draft = {**TERMS, "slug": "delivery", "published": ""}
    preview = staff.post("/staff/pages/new", data={**draft, "action": "preview"})
    assert preview.status_code == 200 and "<h2>Paiement</h2>" in preview.get_data(as_text=True)
    assert db.session.scalars(select(SellerPage)).all() == []
    assert staff.post("/staff/pages/new", data=draft).status_code == 303
    assert app.test_client().get("/pages/delivery").status_code == 404
    assert db.session.scalars(select(TermsVersion)).all() == []


HOSTILE_BODIES = [
    ("<script>alert(1)</script>", "<script>"),
    ('<img src=x onerror="alert(1)">', "<img"),
    ("[click](javascript:alert(document.cookie))", 'href="javascript'),
    ("[click](JaVaScRiPt:alert(1))", "href=\"JaVaScRiPt"),
    ("[click](java\tscript:alert(1))", "href=\"java"),
    ("[click](data:text/html;base64,PHNjcmlwdD4=)", 'href="data:'),
    ("[click](vbscript:msgbox)", 'href="vbscript'),
    ('<a href="javascript:alert(1)">x</a>', '<a href="javascript'),
]


@pytest.mark.parametrize(("body", "never"), HOSTILE_BODIES, ids=[b for b, _ in HOSTILE_BODIES])
def test_raw_html_and_script_links_are_neutralised(staff, app, body, never):
    page = {**TERMS, "slug": "contact", "body_fr": body + "\n\n[ok](https://example.com)"}
    assert staff.post("/staff/pages/new", data=page).status_code == 303
    html = app.test_client().get("/pages/contact").get_data(as_text=True)
    article = html[html.index("<article"):html.index("</article>")]
    assert never not in article
    assert '<a href="https://example.com">ok</a>' in article


def test_a_bad_address_or_missing_title_is_refused_at_its_field(staff):
    answer = staff.post("/staff/pages/new", data={**TERMS, "slug": "../Admin", "title_fr": ""})
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert 'id="f-slug-error"' in text and 'id="f-title_fr-error"' in text
    assert db.session.scalars(select(SellerPage)).all() == []


def test_each_new_order_records_the_terms_version_in_force(staff, app, world):
    staff.post("/staff/pages/new", data=TERMS)
    page = db.session.scalar(select(SellerPage))
    buyer = app.test_client()
    login(buyer, world.a.buyer)

    def place():
        answer = buyer.post("/checkout/", data={"token": checkout_token(buyer),
                                                "place": f"jobsite:{world.a.sites[0].id}"})
        assert answer.status_code == 303
        return orders_of(world.a.company)[-1]

    cart_with(world.a.buyer, (world.products["cement"], 1))
    assert "conditions générales de vente" in buyer.get("/checkout/").get_data(as_text=True)
    first = place()
    changed = {**TERMS, "body_fr": "## Paiement\n\nÀ 45 jours.", "body_en": "Within 45 days."}
    assert staff.post(f"/staff/pages/{page.id}", data=changed).status_code == 303
    cart_with(world.a.buyer, (world.products["cement"], 1))
    second = place()
    numbers = {v.id: v.number for v in db.session.scalars(select(TermsVersion))}
    assert (numbers[first.terms_version_id], numbers[second.terms_version_id]) == (1, 2)
    detail = buyer.get(f"/orders/{first.id}", headers=EN).get_data(as_text=True)
    assert "Version 1, accepted" in detail and "/terms/1" in detail
    assert "30 jours" in app.test_client().get("/terms/1").get_data(as_text=True)


def test_buyers_may_not_edit_pages(client, world):
    login(client, world.a.admin)
    assert client.post("/staff/pages/new", data=TERMS).status_code == 403
    assert db.session.scalars(select(SellerPage)).all() == []
