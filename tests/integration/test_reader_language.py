"""An order read in English and in French: product names, timeline, approval reasons, dates,
emails, delivery-place words and pack names follow the reader, not the company."""

import html
import re
from datetime import UTC, datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApprovalRequest, Order, OrderStatus, OutboxMessage, Role
from portal.services.accounts.signin import send_invitation
from portal.services.approvals import decisions
from portal.services.fulfilment import actions as fulfilment
from tests import factories as f
from tests.conftest import login
from tests.factories import approval_over_limit, cart_with, checkout_token

NNBSP = "\u202f"
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}\s?[AP]M\b")
GB_MEDIUM = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\b")


def _mails(to: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to)
                                   .order_by(OutboxMessage.id)))


def _page(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def _place_over_limit(client, world) -> Order:
    """The French buyer of French company A orders over their limit; an approval waits."""
    a = world.a
    approval_over_limit(a.company)
    a.buyer.language = "fr"
    a.approver.language = "en"
    a.viewer.language = "en"
    db.session.commit()
    login(client, a.buyer)
    cart_with(a.buyer, (world.products["screws"], 2000))
    answer = client.post("/checkout/", data={"token": checkout_token(client),
                                             "place": f"jobsite:{a.sites[0].id}"})
    assert answer.status_code == 303
    return db.session.scalars(select(Order).where(Order.company_id == a.company.id)).one()


def test_an_english_reader_sees_a_french_companys_order_in_english(client, world):
    order = _place_over_limit(client, world)
    a, screws = world.a, world.products["screws"]
    # The English approver is asked in English, why included.
    [asked] = _mails(a.approver.email)
    assert "Why it needs your approval: over the buyer's" in asked.body_text
    assert "plafond" not in asked.body_text
    req = db.session.scalars(select(ApprovalRequest).where(
        ApprovalRequest.order_id == order.id)).one()
    with client.application.test_request_context():
        decisions.approve(a.approver, req, datetime.now(UTC), "OK pour moi")
        fulfilment.confirm(db.session.get(Order, order.id), world.fulfilment, datetime.now(UTC))
    db.session.commit()

    client.post("/logout")
    login(client, a.viewer)
    page = _page(client, f"/orders/{order.id}")
    assert screws.name_en in page and screws.name_fr not in page
    assert "Waiting for approval by" in page and "over the buyer's" in page
    assert "Step 1 approved by" in page and "Comment: OK pour moi" in page
    assert "Your order is confirmed and is being prepared." in page
    for french in ("En attente de validation", "validée par", "Votre commande est confirmée"):
        assert french not in page
    assert GB_MEDIUM.search(page) and not US_DATE.search(page)

    client.post("/logout")
    login(client, a.buyer)
    page = _page(client, f"/orders/{order.id}")
    assert screws.name_fr in page and screws.name_en not in page
    assert "En attente de validation par" in page and "Votre commande est confirmée" in page


def test_the_order_email_speaks_the_recipients_language_with_french_spacing(client, world):
    order = _place_over_limit(client, world)
    [placed] = [m for m in _mails(world.a.buyer.email) if order.number in m.subject]
    body = placed.body_text
    assert world.products["screws"].name_fr in body
    assert f"Paiement{NNBSP}: " in body and "Paiement:" not in body
    assert f"Livrer à{NNBSP}: " in body and f"Chantier{NNBSP}: Site 1" in body
    assert not re.search(r"[a-zé]\.[A-Z]", body)  # no sentence glued to the next one


def test_an_english_buyer_gets_english_product_names_in_the_order_email(client, world):
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    cart_with(world.a.buyer, (world.products["screws"], 10))
    client.post("/checkout/", data={"token": checkout_token(client),
                                    "place": f"jobsite:{world.a.sites[0].id}"})
    [placed] = _mails(world.a.buyer.email)
    assert world.products["screws"].name_en in placed.body_text
    assert world.products["screws"].name_fr not in placed.body_text
    assert "Payment: " in placed.body_text


def test_an_invitation_is_worded_by_role_and_keeps_its_sentences_apart(app, world):
    buyer = f.user(world.a.company, Role.BUYER, email="new-buyer@test.example", password="")
    viewer = f.user(world.a.company, Role.VIEWER, email="new-viewer@test.example", password="")
    with app.test_request_context():
        send_invitation(buyer, world.a.admin)
        send_invitation(viewer, world.a.admin)
    db.session.commit()
    [to_buyer] = _mails(buyer.email)
    [to_viewer] = _mails(viewer.email)
    assert "vous invite à commander" in to_buyer.body_text
    assert "vous invite à suivre les commandes de Company A" in to_viewer.body_text
    assert "commander" not in to_viewer.body_text
    assert re.search(r"professionnel\.\n\nOuvrez ce lien", to_viewer.body_text)
    assert f"(valable 7 jours){NNBSP}:" in to_viewer.body_text


def test_the_delivery_place_is_named_by_the_customers_trade(client, world):
    world.b.company.trade = "Restauration traditionnelle"
    db.session.commit()
    order = f.order(world.b.buyer, [(world.products["flour"], 10, 120)],
                     jobsite=world.b.sites[0])
    order.site_contact = "Léa, 0600000000"
    db.session.commit()
    login(client, world.b.admin)
    history = _page(client, "/orders/")
    assert "Toutes les cuisines" in history and "Tous les chantiers" not in history
    page = _page(client, f"/orders/{order.id}")
    assert "<dt>Cuisine</dt>" in page and "<dt>Contact en cuisine</dt>" in page
    assert "Chantier" not in page

    client.post("/logout")
    login(client, world.a.admin)
    assert "Tous les chantiers" in _page(client, "/orders/")


def test_a_product_names_its_pack_kind(client, world):
    pallet = f.product(world.categories["tools"], "CIM-PAL", price_list=world.base,
                       case_pack=40, pack_kind="pallet", tiers={40: 700},
                       warehouse=world.warehouse, stock=400)
    db.session.commit()
    login(client, world.a.buyer)
    page = _page(client, f"/catalog/p/{pallet.id}")
    assert "palette de 40" in page and "carton de 40" not in page
    screws = _page(client, f"/catalog/p/{world.products['screws'].id}")
    assert "carton de 10" in screws  # the default kind


def test_timeline_text_written_before_codes_is_shown_as_written(client, world):
    order = f.order(world.a.buyer, [(world.products["screws"], 10, 80)])
    f.event(order, "status", status=OrderStatus.CONFIRMED, message="Commande confirmée (LYO).")
    db.session.commit()
    world.a.buyer.language = "en"
    db.session.commit()
    login(client, world.a.buyer)
    page = _page(client, f"/orders/{order.id}")
    assert "Commande confirmée (LYO)." in page and "Confirmed" in page


def test_staff_set_the_pack_kind_in_the_product_form_and_in_an_import(client, world):
    from portal.models import ImportStatus, Product
    from tests.factories import csv_bytes
    from tests.integration.test_catalog_admin_editing import form_of
    from tests.integration.test_imports_customers import checked_job, run_to_rest

    cement = world.products["cement"]
    login(client, world.staff)
    form = _page(client, f"/staff/catalog/products/{cement.id}")
    assert '<option value="pallet">Palette</option>' in form
    bad = client.post(f"/staff/catalog/products/{cement.id}",
                      data=form_of(cement, pack_kind="barrel"))
    assert bad.status_code == 422
    assert client.post(f"/staff/catalog/products/{cement.id}",
                       data=form_of(cement, pack_kind="bag")).status_code == 303
    db.session.expire_all()
    assert db.session.get(Product, cement.id).pack_kind == "bag"

    slug = world.categories["tools"].slug
    header = "sku;name_fr;name_en;category_slug;case_pack;pack_kind"
    job = checked_job(client, csv_bytes(header, [f"PAL-1;Ciment;Cement;{slug};40;Palette",
                                                 f"BOX-1;Vis;Screws;{slug};12;",
                                                 f"BAD-1;Vis;Screws;{slug};12;tonneau"]),
                      kind="products")
    assert [e[1] for e in job.report["errors"]] == ["pack_kind"]
    job = checked_job(client, csv_bytes(header, [f"PAL-1;Ciment;Cement;{slug};40;Palette",
                                                 f"BOX-1;Vis;Screws;{slug};12;"]),
                      kind="products")
    assert client.post(f"/staff/imports/{job.id}/commit").status_code == 303
    assert run_to_rest(client, job.id).status == ImportStatus.DONE
    kinds = dict(db.session.execute(select(Product.sku, Product.pack_kind).where(
        Product.sku.in_(["PAL-1", "BOX-1"]))).all())
    assert kinds == {"PAL-1": "pallet", "BOX-1": "case"}


def test_the_demo_history_reads_in_english_too(tmp_path):
    from flask_babel import force_locale

    from portal import create_app
    from portal.demo.seed import seed_demo
    from portal.models import OrderEvent, OrderLine, Product
    from portal.services.approvals.words import request_reason
    from portal.services.catalog.packs import case_label
    from portal.services.orders.events import event_text
    from tests.conftest import base_config

    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'demo.db'}"))
    with app.app_context():
        db.create_all()
        seed_demo(datetime(2026, 3, 4, 10, 0, tzinfo=UTC))
        with app.test_request_context(), force_locale("en"):
            coded = db.session.scalars(select(OrderEvent).where(OrderEvent.code.is_not(None)))
            texts = {event_text(e) for e in coded}
            reasons = {request_reason(r) for r in db.session.scalars(select(ApprovalRequest))}
            cement = db.session.scalars(select(Product).where(Product.uom == "bag",
                                                              Product.case_pack >= 20)).first()
            cement_label = case_label(cement)
        typed = set(db.session.scalars(select(OrderEvent.message).where(
            OrderEvent.code.is_(None), OrderEvent.message != "")))
        unnamed = db.session.scalar(select(OrderLine.id).where(OrderLine.name_en.is_(None)))
    assert any(t.startswith("Waiting for approval by") for t in texts)
    assert "Your order is confirmed and is being prepared." in texts
    assert not {t for t in texts if re.search(r"Commande|Validée|Expédiée|Livrée", t)}
    assert reasons and all("per-order limit" in r for r in reasons)
    assert typed and all(t.startswith("Annulée") for t in typed)  # reasons people typed
    assert unnamed is None
    assert cement_label.startswith("pallet of ")


def test_the_products_export_carries_the_pack_kind_back_to_the_import(client, world):
    from portal.models import Product

    world.products["cement"].pack_kind = "pallet"
    db.session.commit()
    login(client, world.staff)
    exported = client.get("/staff/imports/export/products.csv").get_data().decode("utf-8-sig")
    header, *rows = exported.splitlines()
    columns = header.split(";")
    row = next(r for r in rows if r.startswith("CIM-35;")).split(";")
    assert row[columns.index("pack_kind")] == "pallet"
    assert db.session.get(Product, world.products["cement"].id).pack_kind == "pallet"
