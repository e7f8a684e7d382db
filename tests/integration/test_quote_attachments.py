"""A plan, a spec sheet or a photo on a quote's thread: sent by the buyer or the rep, checked
by content and size, served only to the two sides of that quote (another company: 404)."""

import io

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import QuoteMessage
from tests.conftest import login
from tests.factories import quote_request
from tests.factories.files import jpeg, multipart, pdf, pdf_with_javascript


def _send(client, url, data: bytes, name: str, ctype: str, body=""):
    return client.post(url, data={"body": body, "file": (io.BytesIO(data), name, ctype)},
                       content_type="multipart/form-data")


def test_the_buyer_sends_a_plan_and_the_rep_opens_it(app, client, world):
    quote = quote_request(world.a.buyer, (world.products["screws"], 300))
    login(client, world.a.buyer)
    plan = pdf("Plan du 2e étage")
    sent = _send(client, f"/quotes/{quote.id}/messages", plan, "plan R+2.pdf",
                 "application/pdf")
    assert sent.status_code == 303
    message = db.session.scalar(select(QuoteMessage))
    assert (message.body, message.attachment_name) == ("", "plan R+2.pdf")
    page = client.get(f"/quotes/{quote.id}").get_data(as_text=True)
    assert f"/quotes/{quote.id}/files/{message.id}" in page
    mine = client.get(f"/quotes/{quote.id}/files/{message.id}")
    assert mine.status_code == 200 and mine.data == plan
    assert mine.headers["Content-Type"] == "application/pdf"
    assert "no-store" in mine.headers["Cache-Control"]
    rep = app.test_client()
    login(rep, world.rep)
    assert rep.get(f"/quotes/desk/{quote.id}/files/{message.id}").data == plan
    # The rep answers with a photo: re-encoded, sent back to the buyer.
    assert _send(rep, f"/quotes/desk/{quote.id}/messages", jpeg(), "palette.jpg",
                 "image/jpeg", "La palette prévue").status_code == 303
    photo = db.session.scalars(select(QuoteMessage).order_by(QuoteMessage.id.desc())).first()
    assert client.get(f"/quotes/{quote.id}/files/{photo.id}").headers[
        "Content-Type"] == "image/jpeg"


def test_another_company_and_the_public_media_route_get_nothing(app, client, world):
    quote = quote_request(world.a.buyer, (world.products["screws"], 300))
    login(client, world.a.buyer)
    _send(client, f"/quotes/{quote.id}/messages", pdf(), "devis.pdf", "application/pdf")
    message = db.session.scalar(select(QuoteMessage))
    other = app.test_client()
    login(other, world.b.buyer)
    assert other.get(f"/quotes/{quote.id}/files/{message.id}").status_code == 404
    assert other.get(f"/media/{message.attachment_key}").status_code == 404
    # A message id of another quote through one's own quote: 404 too.
    own = quote_request(world.b.buyer, (world.products["screws"], 300))
    assert other.get(f"/quotes/{own.id}/files/{message.id}").status_code == 404


def test_a_file_that_is_not_a_clean_image_or_pdf_is_refused_at_its_field(app, client, world):
    quote = quote_request(world.a.buyer, (world.products["screws"], 300))
    login(client, world.a.buyer)
    for data, name, ctype, status in [
        (b"MZ\x90\x00 not a pdf at all", "plan.pdf", "application/pdf", 422),
        (b"<svg onload=alert(1)>", "plan.png", "image/png", 422),
        (pdf_with_javascript(), "plan.pdf", "application/pdf", 422),
    ]:
        answer = _send(client, f"/quotes/{quote.id}/messages", data, name, ctype)
        assert answer.status_code == status, name
        assert 'id="file-error"' in answer.get_data(as_text=True), name
    assert db.session.scalar(select(func.count()).select_from(QuoteMessage)) == 0


def test_a_pdf_over_the_limit_keeps_the_typed_message_and_says_the_limit(app, client, world):
    """Over STORAGE_MAX_PDF_BYTES but under the upload route's cap: the thread comes back
    with the message as typed and the limit at the file field, nothing sent."""
    app.config["STORAGE_MAX_PDF_BYTES"] = 9_000_000
    quote = quote_request(world.a.buyer, (world.products["screws"], 300))
    login(client, world.a.buyer)
    body, ctype = multipart({"body": "Voici le plan du 2e étage"},
                            pdf("Plan") + b"%" * 9_500_000, "plan.pdf", "application/pdf")
    answer = client.post(f"/quotes/{quote.id}/messages", data=body, content_type=ctype)
    page = answer.get_data(as_text=True)
    assert answer.status_code in (413, 422)
    assert "Voici le plan du 2e étage" in page and 'id="file-error"' in page
    assert db.session.scalar(select(func.count(QuoteMessage.id))) == 0


def test_a_request_from_the_cart_carries_its_plan_to_the_rep(app, client, world):
    from portal.models import CartLine, Quote
    from tests.factories import cart_with

    cart_with(world.a.buyer, (world.products["screws"], 300))
    login(client, world.a.buyer)
    plan = pdf("Plan de la cuisine")
    sent = client.post("/quotes/ask", data={"note": "Pour la cuisine",
                                            "file": (io.BytesIO(plan), "cuisine.pdf",
                                                     "application/pdf")},
                       content_type="multipart/form-data")
    assert sent.status_code == 303
    quote = db.session.scalar(select(Quote))
    message = db.session.scalar(select(QuoteMessage))
    assert (message.quote_id, message.attachment_name, message.from_seller) == (
        quote.id, "cuisine.pdf", False)
    assert db.session.scalar(select(func.count(CartLine.id))) == 0
    rep = app.test_client()
    login(rep, world.rep)
    assert "cuisine.pdf" in rep.get(f"/quotes/desk/{quote.id}").get_data(as_text=True)
    assert rep.get(f"/quotes/desk/{quote.id}/files/{message.id}").data == plan


def test_a_request_with_a_file_that_is_not_a_plan_is_refused_whole(client, world):
    from portal.models import CartLine, Quote
    from tests.factories import cart_with

    cart_with(world.a.buyer, (world.products["screws"], 300))
    login(client, world.a.buyer)
    answer = client.post("/quotes/ask", data={
        "note": "Pour la cuisine", "file": (io.BytesIO(b"<script>alert(1)</script>"),
                                            "plan.pdf", "application/pdf")},
        content_type="multipart/form-data")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="file"' in page and 'aria-invalid="true"' in page.split('id="file"')[1][:400]
    assert "Pour la cuisine" in page  # what was typed is kept
    assert db.session.scalar(select(func.count(Quote.id))) == 0
    assert db.session.scalar(select(func.count(QuoteMessage.id))) == 0
    assert db.session.scalar(select(func.count(CartLine.id))) == 1


def test_a_product_request_takes_a_photo_too(client, world):
    from portal.models import Quote

    login(client, world.a.buyer)
    product = world.products["cement"]
    sent = client.post(f"/quotes/ask/product/{product.id}", data={
        "qty-product": "40", "file": (io.BytesIO(jpeg()), "dalle.jpg", "image/jpeg")},
        content_type="multipart/form-data")
    assert sent.status_code == 303
    quote = db.session.scalar(select(Quote))
    assert [m.attachment_name for m in quote.messages] == ["dalle.jpg"]
