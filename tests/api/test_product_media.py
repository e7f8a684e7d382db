"""A product's media through the API: the PIM lists, uploads (multipart) and removes photos,
documents and video links by SKU, with the back office's checks; hostile files are refused
with nothing stored; a token without the catalog scopes, or a customer's, is refused."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry, ProductDocument, ProductImage, ProductVideo
from tests.api.conftest import assert_problem
from tests.factories import files
from tests.integration import test_product_content

media_dir = test_product_content.media_dir  # the fixture: files stored in a fresh folder
pytestmark = pytest.mark.usefixtures("media_dir")
BASE = "/api/v1/products"


def upload(caller, path: str, data: bytes, name: str, content_type: str, **fields):
    body, ctype = files.multipart(fields, data, name, content_type)
    return caller.http.post(path, data=body, headers=caller.headers({"Content-Type": ctype}))


def stored(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_pim_adds_lists_and_removes_a_product_s_media(make_caller, world, media_dir):
    pim = make_caller("catalog:read", "catalog:write", name="PIM")
    made = upload(pim, f"{BASE}/cim-35/images", files.jpeg(), "sac.jpg", "image/jpeg",
                  alt_fr="Sac de ciment", alt_en="Cement bag")
    assert made.status_code == 201, made.data[:500]
    image = made.get_json()
    assert image["alt_en"] == "Cement bag" and image["width"] == 960
    assert {v["format"] for v in image["variants"]} == {"webp", "jpeg"}
    sheet = upload(pim, f"{BASE}/CIM-35/documents", files.pdf(), "fds.pdf", "application/pdf",
                   kind="safety_sheet", language="en", title="Safety data sheet")
    assert sheet.status_code == 201, sheet.data[:500]
    video = pim.post(f"{BASE}/CIM-35/videos", {"url": "https://video.example/cim",
                                                "title_fr": "Pose", "title_en": "Laying"})
    assert video.status_code == 201, video.data[:500]
    listed = pim.get(f"{BASE}/CIM-35/media").get_json()
    assert [i["id"] for i in listed["images"]] == [image["id"]]
    assert listed["documents"][0]["kind"] == "safety_sheet"
    assert listed["videos"] == [video.get_json()]
    assert pim.http.get(listed["images"][0]["variants"][0]["url"]).status_code == 200
    for what, row_id in (("images", image["id"]), ("documents", sheet.get_json()["id"]),
                         ("videos", video.get_json()["id"])):
        assert pim.send("DELETE", f"{BASE}/CIM-35/{what}/{row_id}").status_code == 204
    assert pim.get(f"{BASE}/CIM-35/media").get_json() == {
        "sku": "CIM-35", "images": [], "documents": [], "videos": []}
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"product.image_added", "product.document_added", "product.video_removed"} <= actions


@pytest.mark.parametrize(("path", "data", "name", "ctype", "fields"), [
    ("images", files.FAKE_JPEG, "photo.jpg", "image/jpeg", {}),
    ("images", files.SVG_WITH_SCRIPT, "photo.jpg", "image/jpeg", {}),
    ("documents", files.pdf_with_javascript(), "fiche.pdf", "application/pdf",
     {"kind": "datasheet", "language": "fr"}),
    ("documents", files.SCRIPT, "fiche.pdf", "application/pdf",
     {"kind": "datasheet", "language": "fr"}),
])
def test_a_hostile_upload_is_a_422_and_nothing_is_stored(make_caller, world, media_dir, path,
                                                         data, name, ctype, fields):
    pim = make_caller("catalog:write")
    answer = upload(pim, f"{BASE}/CIM-35/{path}", data, name, ctype, **fields)
    problem = assert_problem(answer, 422)
    assert problem["detail"] and problem["errors"]
    assert not stored(media_dir)
    assert db.session.scalar(select(func.count()).select_from(ProductImage)) == 0
    assert db.session.scalar(select(func.count()).select_from(ProductDocument)) == 0


@pytest.mark.config(STORAGE_MAX_IMAGE_BYTES=200_000)
def test_an_image_over_the_limit_is_a_413(make_caller, world, media_dir):
    pim = make_caller("catalog:write")
    answer = upload(pim, f"{BASE}/CIM-35/images", b"\xff\xd8\xff" + b"0" * 300_000,
                    "big.jpg", "image/jpeg")
    assert_problem(answer, 413)
    assert not stored(media_dir)


def test_bad_fields_unknown_sku_and_json_instead_of_a_file_are_refused(make_caller, world):
    pim = make_caller("catalog:read", "catalog:write")
    assert_problem(upload(pim, f"{BASE}/CIM-35/documents", files.pdf(), "a.pdf",
                          "application/pdf", kind="brochure", language="fr"), 422)
    assert_problem(upload(pim, f"{BASE}/NOPE-1/images", files.jpeg(), "a.jpg", "image/jpeg"),
                   404)
    assert_problem(pim.post(f"{BASE}/CIM-35/images", {"file": "x"}), 415)
    assert_problem(pim.post(f"{BASE}/CIM-35/videos", {"url": "javascript:alert(1)"}), 422)
    assert_problem(pim.get(f"{BASE}/NOPE-1/media"), 404)
    assert_problem(pim.send("DELETE", f"{BASE}/CIM-35/images/999999"), 404)
    assert db.session.scalar(select(func.count()).select_from(ProductVideo)) == 0


def test_a_customer_token_or_one_without_the_scope_is_refused(make_caller, world, media_dir):
    customer = make_caller("orders:read", company=world.a.company)
    reader = make_caller("catalog:read")
    for caller in (customer, reader):
        assert_problem(upload(caller, f"{BASE}/CIM-35/images", files.jpeg(), "a.jpg",
                              "image/jpeg"), 403)
    assert_problem(customer.get(f"{BASE}/CIM-35/media"), 403)
    assert reader.get(f"{BASE}/CIM-35/media").status_code == 200
    assert not stored(media_dir)
