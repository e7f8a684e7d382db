"""Product content in the back office and on the product page: staff add photos and
datasheets (checked, stored, shown), hostile files are refused at their field with nothing
stored, and the buyer sees the gallery, the documents and the attribute table."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Attribute, ProductAttribute, ProductDocument, ProductImage
from tests.conftest import htmx_headers, login
from tests.factories import files

EN = {"Accept-Language": "en"}


@pytest.fixture
def media_dir(app, tmp_path):
    app.config["STORAGE_DIR"] = str(tmp_path / "media")
    app.extensions.pop("portal.storage", None)
    yield tmp_path / "media"
    app.extensions.pop("portal.storage", None)


def _files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _upload(client, url, data, name, content_type, **fields):
    body, ctype = files.multipart(fields, data, name, content_type)
    return client.post(url, data=body, headers=EN, content_type=ctype)


@pytest.fixture
def staff_client(client, world):
    login(client, world.staff)
    return client


def test_staff_add_a_photo_and_a_safety_sheet_and_the_buyer_sees_them(staff_client, world,
                                                                       app, media_dir):
    cement = world.products["cement"]
    base = f"/staff/catalog/products/{cement.id}"
    answer = _upload(staff_client, f"{base}/images", files.jpeg(), "bag.jpg", "image/jpeg",
                     alt_fr="Sac de ciment", alt_en="Cement bag")
    assert answer.status_code == 303
    answer = _upload(staff_client, f"{base}/documents", files.pdf("FDS"), "fds.pdf",
                     "application/pdf", kind="safety_sheet", language="fr", title="FDS ciment")
    assert answer.status_code == 303
    (image,) = db.session.scalars(select(ProductImage)).all()
    (sheet,) = db.session.scalars(select(ProductDocument)).all()
    assert image.alt_en == "Cement bag" and sheet.kind.value == "safety_sheet"
    assert len(_files(media_dir)) == 7  # six widths/formats of the photo, one PDF

    buyer = app.test_client()
    login(buyer, world.a.buyer)
    page = buyer.get(f"/catalog/p/{cement.id}", headers=EN).get_data(as_text=True)
    assert 'alt="Cement bag"' in page and 'type="image/webp"' in page
    assert 'width="960" height="720"' in page and "srcset=" in page
    assert "Safety data sheet" in page and f"/media/{sheet.key}" in page
    pdf = buyer.get(f"/media/{sheet.key}")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"


HOSTILE = [
    ("images", files.SCRIPT, "photo.jpg", "image/jpeg", "not a JPEG, PNG or WebP"),
    ("images", files.SVG_WITH_SCRIPT, "photo.svg", "image/svg+xml", "not a JPEG, PNG or WebP"),
    ("images", files.FAKE_JPEG, "photo.jpg", "image/jpeg", "cannot be read"),
    ("documents", files.pdf_with_javascript(), "sheet.pdf", "application/pdf", "scripts"),
    ("documents", files.HTML_PAGE, "sheet.pdf", "application/pdf", "not a PDF"),
]


@pytest.mark.parametrize(("path", "data", "name", "kind", "message"), HOSTILE,
                         ids=[row[2] + "-" + row[4] for row in HOSTILE])
def test_a_hostile_upload_is_refused_at_its_field_and_nothing_is_stored(
        staff_client, world, media_dir, path, data, name, kind, message):
    product = world.products["cement"]
    fields = {"kind": "datasheet", "language": "fr"} if path == "documents" else {}
    answer = _upload(staff_client, f"/staff/catalog/products/{product.id}/{path}", data, name,
                     kind, **fields)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert _files(media_dir) == []
    assert db.session.scalars(select(ProductImage)).all() == []
    assert db.session.scalars(select(ProductDocument)).all() == []


def test_a_50_mb_upload_is_a_413_and_nothing_is_stored(staff_client, world, media_dir):
    product = world.products["cement"]
    big = b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024)
    answer = _upload(staff_client, f"/staff/catalog/products/{product.id}/documents", big,
                     "big.pdf", "application/pdf", kind="datasheet", language="fr")
    assert answer.status_code == 413
    assert _files(media_dir) == []
    assert db.session.scalars(select(ProductDocument)).all() == []


def test_a_pdf_over_the_limit_is_refused_with_the_limit_said(staff_client, world, media_dir,
                                                              app):
    app.config["STORAGE_MAX_PDF_BYTES"] = 2_000_000
    product = world.products["cement"]
    answer = _upload(staff_client, f"/staff/catalog/products/{product.id}/documents",
                     files.pdf() + b"%" * 2_500_000, "big.pdf", "application/pdf",
                     kind="datasheet", language="fr")
    assert answer.status_code in (413, 422)
    assert _files(media_dir) == []


def test_photos_are_reordered_and_removed_with_their_files(staff_client, world, media_dir):
    product = world.products["cement"]
    base = f"/staff/catalog/products/{product.id}"
    for color in ((200, 0, 0), (0, 200, 0)):
        _upload(staff_client, f"{base}/images", files.jpeg(color=color), "p.jpg", "image/jpeg")
    first, second = db.session.scalars(select(ProductImage).order_by(ProductImage.position))
    assert staff_client.post(f"{base}/images/{second.id}/up").status_code == 303
    db.session.expire_all()
    assert [i.id for i in db.session.scalars(select(ProductImage).order_by(
        ProductImage.position))] == [second.id, first.id]
    assert len(_files(media_dir)) == 12
    assert staff_client.post(f"{base}/images/{first.id}/remove").status_code == 303
    assert len(_files(media_dir)) == 6
    assert staff_client.post(f"{base}/images/{first.id}/remove").status_code == 404


def test_another_product_s_photo_is_a_404(staff_client, world, media_dir):
    cement, screws = world.products["cement"], world.products["screws"]
    _upload(staff_client, f"/staff/catalog/products/{cement.id}/images", files.jpeg(), "p.jpg",
            "image/jpeg")
    image = db.session.scalar(select(ProductImage))
    answer = staff_client.post(f"/staff/catalog/products/{screws.id}/images/{image.id}/remove")
    assert answer.status_code == 404
    assert db.session.scalar(select(ProductImage)) is not None


def test_buyers_may_not_upload(client, world, media_dir):
    login(client, world.a.buyer)
    product = world.products["cement"]
    answer = _upload(client, f"/staff/catalog/products/{product.id}/images", files.jpeg(),
                     "p.jpg", "image/jpeg")
    assert answer.status_code == 403
    assert _files(media_dir) == []


def test_the_chef_sees_allergens_in_the_attribute_table(client, world):
    flour = world.products["flour"]
    allergens = Attribute(category_id=flour.category_id, code="allergens", name_fr="Allergènes",
                          name_en="Allergens", filterable=True, position=1)
    db.session.add(allergens)
    db.session.flush()
    db.session.add(ProductAttribute(product_id=flour.id, attribute_id=allergens.id,
                                    value_fr="Gluten (blé)", value_en="Gluten (wheat)",
                                    value_key="gluten (ble)"))
    db.session.commit()
    login(client, world.b.buyer)
    page = client.get(f"/catalog/p/{flour.id}", headers=EN).get_data(as_text=True)
    assert "Characteristics" in page and "Allergens" in page and "Gluten (wheat)" in page


def test_a_12_mb_safety_sheet_under_the_pdf_limit_is_stored(staff_client, world, media_dir):
    """The PDF limit (20 MB) holds, not the 8 MB every other form gets: the upload routes
    raise the request's cap before anything reads the body (the CSRF check included)."""
    product = world.products["cement"]
    answer = _upload(staff_client, f"/staff/catalog/products/{product.id}/documents",
                     files.large_pdf(12_000_000), "fds.pdf", "application/pdf",
                     kind="datasheet", language="fr")
    assert answer.status_code in (302, 303), answer.status_code
    assert len(db.session.scalars(select(ProductDocument)).all()) == 1


def test_a_product_s_first_photo_is_its_thumbnail_in_lists_and_after_a_stepper_tap(
        staff_client, world, media_dir, app):
    cement, screws = world.products["cement"], world.products["screws"]
    for color in ((200, 80, 40), (40, 80, 200)):
        assert _upload(staff_client, f"/staff/catalog/products/{cement.id}/images",
                       files.jpeg(color=color), "bag.jpg", "image/jpeg").status_code == 303
    first, _second = db.session.scalars(select(ProductImage).order_by(ProductImage.position))
    thumb_key = storage_key(first, 160)
    buyer = app.test_client()
    login(buyer, world.a.buyer)
    listing = buyer.get(f"/catalog/c/{cement.category_id}").get_data(as_text=True)
    rows = {pid: listing.split(f'<article id="p-{pid}"')[1].split("</article>")[0]
            for pid in (cement.id, screws.id)}
    assert f"/media/{thumb_key}" in rows[cement.id] and 'class="prow-thumb"' in rows[cement.id]
    assert "prow-thumb" not in rows[screws.id]
    tapped = buyer.post(f"/catalog/p/{cement.id}/qty", data={"qty": "1", "step": "up",
                                                             "view": "row"},
                        headers=htmx_headers(f"p-{cement.id}")).get_data(as_text=True)
    assert f"/media/{thumb_key}" in tapped


def storage_key(image: ProductImage, width: int) -> str:
    return next(key for fmt, w, key in image.image["variants"] if fmt == "jpeg" and w == width)
