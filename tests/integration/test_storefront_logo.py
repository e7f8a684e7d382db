"""A storefront's logo (issue 22): staff admins upload it on the storefront's edit page, its
pages' header shows it 32 px high with the storefront's name as its text, a bad file is refused
at the field with the old logo kept, removing it brings the name back; nobody else may, and no
other storefront shows it. Stored by the product pictures' pipeline (a folder, or a real
S3-compatible server on loopback)."""

import re

import pytest

from portal.extensions import db
from portal.models import Role, Storefront, StorefrontKind
from portal.services import storefronts
from tests import factories as f
from tests.conftest import counting, login
from tests.factories import files

# The loopback S3-compatible server and its bucket, as the storage tests use them.
from tests.integration.test_storage import _bucket_keys, bucket, s3_server  # noqa: F401

DIRECT = f.DIRECT
EQUIPE = "http://equipe.example.test"
HEADER_IMG = re.compile(r'<a class="brand brand-logo"[^>]*>.*?<img ([^>]*)>', re.S)


@pytest.fixture
def media(app, tmp_path):
    app.config.update(STORAGE_BACKEND="local", STORAGE_DIR=str(tmp_path / "media"))
    app.extensions.pop("portal.storage", None)
    yield tmp_path / "media"
    app.extensions.pop("portal.storage", None)


def _logo_files(root) -> list[str]:
    found = root / "storefront-logo"
    return sorted(p.name for p in found.rglob("*") if p.is_file()) if found.exists() else []


def _fronts():
    direct = Storefront(code="direct", kind=StorefrontKind.CONSUMER, name="Direct Chantier",
                        hosts="direct.example.test", prices_with_vat=True, brand_colour="#7a1f1f")
    equipe = Storefront(code="equipe", kind=StorefrontKind.EMPLOYEE, name="Équipe Durand",
                        hosts="equipe.example.test", brand_colour="#0b4f6c")
    db.session.add_all([direct, equipe])
    db.session.commit()
    return direct, equipe


def _staff_admin(client):
    admin = f.user(None, role=Role.STAFF_ADMIN, email="staff@seller.test")
    db.session.commit()
    login(client, admin)


def _upload(client, front, data, name="logo.png", content_type="image/png"):
    body, kind = files.multipart({}, data, name, content_type)
    return client.post(f"/staff/storefronts/{front.id}/logo",
                       data=body.replace(b'name="file"', b'name="logo"'), content_type=kind)


def _header_img(page: str) -> dict[str, str] | None:
    found = HEADER_IMG.search(page)
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', found[1])) if found else None


def test_a_staff_admin_uploads_a_logo_its_header_shows_it_sized_and_named(app, client, media):
    direct, equipe = _fronts()
    _staff_admin(client)
    saved = _upload(client, direct, files.png(400, 100, transparent=False))
    assert saved.status_code == 303 and saved.headers["Location"].endswith(
        f"/staff/storefronts/{direct.id}")
    db.session.refresh(direct)
    assert direct.logo["height"] == 96 and direct.logo["width"] == 384  # 96/192/384 wide
    assert len(_logo_files(media)) == 6  # three widths in WebP and JPEG

    page = client.get("/login", base_url=DIRECT).get_data(as_text=True)
    img = _header_img(page)
    assert img is not None, "the header shows no logo"
    assert img["alt"] == "Direct Chantier"
    assert (img["width"], img["height"]) == ("128", "32")  # 4:1 at 32 px high
    assert img["sizes"] == "128px" and "384w" in img["srcset"]
    assert '<source type="image/webp"' in page
    assert 'class="brand-short"' not in page  # no initials beside the logo
    served = client.get(img["src"], base_url=DIRECT)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"

    # Neither another storefront nor the trade portal shows it; they keep their names.
    for base_url, name in ((EQUIPE, "Équipe Durand"), ("http://localhost", "Pro Fournitures")):
        other = app.test_client().get("/login", base_url=base_url).get_data(as_text=True)
        assert "storefront-logo/" not in other and _header_img(other) is None
        assert f'<span class="brand-long">{name}</span>' in other

    # The header's logo comes from the storefronts in memory: no query for it per request.
    visitor = app.test_client()
    visitor.get("/login", base_url=DIRECT)
    with counting() as seen:
        assert _header_img(visitor.get("/login", base_url=DIRECT).get_data(as_text=True))
    assert not [s for s in seen if "storefronts" in s]


def test_the_logo_is_on_the_storefronts_own_origin_whoever_read_the_storefronts(app, client,
                                                                                media):
    """Read into memory outside a request (the worker, the paths' middleware), the logo's
    address must still be the page's own origin: its CSP allows images from 'self' only."""
    direct, _equipe = _fronts()
    _staff_admin(client)
    assert _upload(client, direct, files.png(300, 100, transparent=False)).status_code == 303
    storefronts.forget()
    assert storefronts.all_fronts()  # no request here: BASE_URL is the only host known
    img = _header_img(client.get("/login", base_url=DIRECT).get_data(as_text=True))
    assert img["src"].startswith("/media/storefront-logo/"), img["src"]
    assert all(part.strip().startswith("/media/") for part in img["srcset"].split(","))


BAD = [
    ("an SVG with a script", files.SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml",
     "Les logos SVG ne sont pas acceptés", 422),
    ("an SVG sent as a PNG", files.SVG_WITH_SCRIPT, "logo.png", "image/png",
     "Les logos SVG ne sont pas acceptés", 422),
    ("an HTML page sent as a PNG", files.HTML_PAGE, "logo.png", "image/png",
     "pas une image JPEG, PNG ou WebP", 422),
    ("a PDF", files.pdf(), "logo.pdf", "application/pdf", "pas une image JPEG, PNG ou WebP", 422),
    ("a banner 20 times as wide as high", files.png(2000, 100), "logo.png", "image/png",
     "trop large", 422),
    ("a 20 px icon", files.png(20, 20), "logo.png", "image/png", "trop petit", 422),
    ("no file at all", b"", "", "application/octet-stream", "Choisissez un fichier", 422),
]


@pytest.mark.parametrize(("what", "data", "name", "claimed", "message", "status"), BAD,
                         ids=[row[0] for row in BAD])
def test_a_bad_file_is_refused_at_the_field_and_the_old_logo_kept(app, client, media, what,
                                                                  data, name, claimed, message,
                                                                  status):
    direct, _equipe = _fronts()
    _staff_admin(client)
    assert _upload(client, direct, files.png(300, 100, transparent=False)).status_code == 303
    db.session.refresh(direct)
    before, stored = direct.logo, _logo_files(media)

    refused = _upload(client, direct, data, name, claimed)
    assert refused.status_code == status
    page = refused.get_data(as_text=True)
    field = re.search(r'<input id="sf-logo"[^>]*>\s*<p class="error" id="sf-logo-error"'
                      r' role="alert">([^<]*)</p>', page)
    assert field is not None and message in field[1] and 'aria-invalid="true"' in page
    assert 'value="Direct Chantier"' in page  # the rest of the edit page as stored
    db.session.expire_all()
    assert db.session.get(Storefront, direct.id).logo == before
    assert _logo_files(media) == stored  # nothing written, nothing removed
    header = _header_img(client.get("/login", base_url=DIRECT).get_data(as_text=True))
    assert header is not None and header["width"] == "96"  # still the 3:1 logo


def test_a_file_over_the_size_limit_is_told_at_the_field(app, client, media):
    direct, _equipe = _fronts()
    _staff_admin(client)
    app.config["STORAGE_MAX_IMAGE_BYTES"] = 20_000
    try:
        refused = _upload(client, direct, files.jpeg(1600, 400, gps=False) + b"\0" * 30_000,
                          "logo.jpg", "image/jpeg")
    finally:
        app.config["STORAGE_MAX_IMAGE_BYTES"] = 10_000_000
    assert refused.status_code == 413
    assert "trop volumineux" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Storefront, direct.id).logo is None and _logo_files(media) == []


def test_removing_the_logo_brings_the_name_back_and_deletes_its_files(app, client, media):
    direct, _equipe = _fronts()
    _staff_admin(client)
    assert _upload(client, direct, files.png(300, 100, transparent=False)).status_code == 303
    assert _header_img(client.get("/login", base_url=DIRECT).get_data(as_text=True))
    removed = client.post(f"/staff/storefronts/{direct.id}/logo/remove")
    assert removed.status_code == 303
    assert "Logo de Direct Chantier retiré" in client.get(removed.headers["Location"]).text
    db.session.expire_all()
    assert db.session.get(Storefront, direct.id).logo is None
    assert _logo_files(media) == []
    page = client.get("/login", base_url=DIRECT).get_data(as_text=True)
    assert _header_img(page) is None
    assert '<span class="brand-long">Direct Chantier</span>' in page
    assert '<span class="brand-short" aria-hidden="true">DC</span>' in page


def test_replacing_keeps_a_file_another_storefront_uses(app, client, media):
    direct, equipe = _fronts()
    _staff_admin(client)
    same = files.png(300, 100, transparent=False)
    assert _upload(client, direct, same).status_code == 303
    assert _upload(client, equipe, same).status_code == 303
    assert _upload(client, direct, files.png(200, 100, transparent=False)).status_code == 303
    shared = storefronts.header_logo(db.session.get(Storefront, equipe.id).logo)
    assert app.test_client().get(shared.src, base_url=EQUIPE).status_code == 200


@pytest.mark.parametrize("role", [Role.COMPANY_ADMIN, Role.SALES_REP, Role.FULFILMENT])
def test_only_staff_admins_may_change_a_logo(app, client, media, role):
    direct, _equipe = _fronts()
    company = f.company("Durand Bâtiment") if role == Role.COMPANY_ADMIN else None
    person = f.user(company, role=role, email="someone@example.test")
    db.session.commit()
    login(client, person)
    body, kind = files.multipart({}, files.png(300, 100), "logo.png", "image/png")
    answer = client.post(f"/staff/storefronts/{direct.id}/logo",
                         data=body.replace(b'name="file"', b'name="logo"'), content_type=kind)
    assert answer.status_code in (403, 404)
    assert client.post(f"/staff/storefronts/{direct.id}/logo/remove").status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Storefront, direct.id).logo is None and _logo_files(media) == []


def test_an_unknown_storefront_is_a_404(app, client, media):
    _staff_admin(client)
    body, kind = files.multipart({}, files.png(300, 100), "logo.png", "image/png")
    assert client.post("/staff/storefronts/999/logo", data=body.replace(
        b'name="file"', b'name="logo"'), content_type=kind).status_code == 404
    assert client.post("/staff/storefronts/999/logo/remove").status_code == 404


def test_the_logo_lives_in_an_s3_compatible_bucket_too(app, client, bucket):  # noqa: F811
    def keys():
        return [k for k in _bucket_keys(bucket) if k.startswith("storefront-logo/")]

    for key in keys():
        bucket.delete_object(Bucket="portal-media", Key=key)

    direct, _equipe = _fronts()
    _staff_admin(client)
    assert _upload(client, direct, files.png(400, 100, transparent=False)).status_code == 303
    assert len(keys()) == 6
    img = _header_img(client.get("/login", base_url=DIRECT).get_data(as_text=True))
    assert client.get(img["src"], base_url=DIRECT).status_code == 200
    assert _upload(client, direct, files.SVG_WITH_SCRIPT, "logo.svg",
                   "image/svg+xml").status_code == 422
    assert len(keys()) == 6
    assert client.post(f"/staff/storefronts/{direct.id}/logo/remove").status_code == 303
    assert keys() == []

