"""Stored files: what the storage front door accepts, what it keeps of an image, where it keeps
it (a folder, or a real S3-compatible server on loopback), and how the portal serves it."""

import io
import socket

import pytest
from PIL import Image

from portal.extensions import db
from portal.services import storage
from tests.factories import files


@pytest.fixture
def local(app, tmp_path):
    app.config["STORAGE_DIR"] = str(tmp_path / "media")
    app.config["STORAGE_BACKEND"] = "local"
    app.extensions.pop("portal.storage", None)
    with app.test_request_context(headers={"Accept-Language": "en"}):  # refusals: in English
        yield tmp_path / "media"
    app.extensions.pop("portal.storage", None)


def _stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_photo_is_stored_without_its_metadata_at_the_widths_pages_use(local):
    image = storage.put_image(files.jpeg(1200, 900), kind="product-image")
    assert (image.width, image.height) == (960, 720)
    assert sorted({(f, w) for f, w, _k in image.variants}) == [
        ("jpeg", 160), ("jpeg", 480), ("jpeg", 960), ("webp", 160), ("webp", 480), ("webp", 960)]
    for fmt, width, key in image.variants:
        data = storage.get(key)
        decoded = Image.open(io.BytesIO(data))
        assert decoded.format == fmt.upper() and decoded.width == width
        assert not decoded.getexif() and b"PhoneMaker" not in data and b"secret note" not in data
        assert storage.content_type_of(key) == f"image/{fmt}"
    assert len(_stored_files(local)) == 6


def test_a_small_image_is_never_enlarged(local):
    image = storage.put_image(files.png(300, 200), kind="product-image", content_type="image/png")
    assert sorted({w for _f, w, _k in image.variants}) == [160, 300]
    assert image.srcset("webp").endswith("300w") and "/media/product-image/" in image.srcset("webp")


def test_the_same_bytes_get_the_same_key_and_another_file_another(local):
    sheet = files.pdf("A")
    first = storage.put(sheet, "application/pdf", kind="product-document")
    again = storage.put(sheet, "application/pdf", kind="product-document")
    other = storage.put(files.pdf("B"), "application/pdf", kind="product-document")
    assert first == again != other
    assert first.startswith("product-document/") and first.endswith(".pdf")
    assert storage.get(first).startswith(b"%PDF-")


HOSTILE = [
    ("a script named photo.jpg", files.SCRIPT, "image/jpeg", "not a JPEG, PNG or WebP"),
    ("an SVG with a script", files.SVG_WITH_SCRIPT, "image/svg+xml", "not a JPEG, PNG or WebP"),
    ("an SVG sent as a JPEG", files.SVG_WITH_SCRIPT, "image/jpeg", "not a JPEG, PNG or WebP"),
    ("an HTML page sent as a PNG", files.HTML_PAGE, "image/png", "not a JPEG, PNG or WebP"),
    ("a page behind JPEG bytes", files.FAKE_JPEG, "image/jpeg", "cannot be read"),
    ("a PDF with JavaScript", files.pdf_with_javascript(), "application/pdf", "scripts"),
    ("a PDF hiding a script in a link", files.pdf_with_hidden_javascript(), "application/pdf",
     "scripts"),
    ("an image sent as a PDF", files.jpeg(), "application/pdf", "not a PDF"),
    ("a broken PDF", b"%PDF-1.7\n" + b"x" * 200, "application/pdf", "cannot be read"),
]


@pytest.mark.parametrize(("what", "data", "claimed", "message"), HOSTILE,
                         ids=[row[0] for row in HOSTILE])
def test_a_hostile_file_is_refused_and_nothing_is_stored(local, what, data, claimed, message):
    with pytest.raises(storage.UploadRefused) as refused:
        if claimed.startswith("image/"):
            storage.put_image(data, kind="product-image", content_type=claimed)
        else:
            storage.put(data, claimed, kind="product-document")
    assert message in str(refused.value) and refused.value.status == 422
    assert _stored_files(local) == []


def test_an_upload_over_the_limit_is_a_413_before_it_is_read(local, app):
    app.config["STORAGE_MAX_IMAGE_BYTES"] = 1_000_000
    big = files.jpeg(200, 200) + b"\0" * 1_000_000
    with pytest.raises(storage.UploadRefused) as refused:
        storage.put_image(big, kind="product-image")
    assert refused.value.status == 413 and "at most 1 MB" in str(refused.value)
    assert _stored_files(local) == []


def test_a_decompression_bomb_is_refused(local):
    image = Image.new("1", (20_000, 20_000))
    out = io.BytesIO()
    image.save(out, format="PNG")
    with pytest.raises(storage.UploadRefused, match="too large"):
        storage.put_image(out.getvalue(), kind="product-image", content_type="image/png")
    assert _stored_files(local) == []


def test_files_written_by_a_transaction_that_rolls_back_are_removed(local):
    storage.put_image(files.jpeg(), kind="product-image")
    assert len(_stored_files(local)) == 6
    db.session.rollback()
    assert _stored_files(local) == []


def test_a_deleted_file_goes_at_the_commit_and_stays_on_rollback(local):
    key = storage.put(files.pdf(), "application/pdf", kind="product-document")
    db.session.commit()
    storage.delete(key)
    db.session.rollback()
    assert storage.get(key) is not None
    storage.delete(key)
    db.session.commit()
    assert storage.get(key) is None


def test_a_public_file_is_served_cached_for_a_year_with_its_stored_type(local, app):
    image = storage.put_image(files.jpeg(), kind="product-image")
    document = storage.put(files.pdf(), "application/pdf", kind="product-document")
    db.session.commit()
    client = app.test_client()
    for key, content_type in ((image.best("webp"), "image/webp"), (document, "application/pdf")):
        response = client.get(storage.url(key))
        assert response.status_code == 200 and response.data == storage.get(key)
        assert response.headers["Content-Type"] == content_type
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("inline")
        assert "script-src" not in response.headers["Content-Security-Policy"]


def test_private_kinds_and_unknown_keys_are_not_served_at_media(local, app):
    key = storage.put(files.pdf(), "application/pdf", kind="quote-attachment")
    db.session.commit()
    client = app.test_client()
    assert client.get(storage.url(key)).status_code == 404
    for path in ("/media/x", "/media/product-image/../../etc/passwd",
                 "/media/product-image/ab/" + "a" * 64 + ".html",
                 "/media/product-image/ab/" + "a" * 64 + ".jpg"):
        assert client.get(path).status_code == 404, path


def test_serving_a_file_runs_no_query_even_for_a_signed_in_user(local, app, world):
    from tests.conftest import login

    image = storage.put_image(files.jpeg(), kind="product-image")
    db.session.commit()
    client = app.test_client()
    login(client, world.a.buyer)
    statements = []
    from sqlalchemy import event

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(storage.url(image.best()))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200 and statements == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3-compatible server, over real HTTP on loopback."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(app, s3_server):
    import boto3

    settings = {"STORAGE_BACKEND": "s3", "STORAGE_S3_ENDPOINT_URL": s3_server,
                "STORAGE_S3_BUCKET": "portal-media", "STORAGE_S3_ACCESS_KEY": "test",
                "STORAGE_S3_SECRET_KEY": "test", "STORAGE_S3_REGION": "eu-west-3"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-3",
                          aws_access_key_id="test", aws_secret_access_key="test")
    if "portal-media" not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket="portal-media",
                             CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    saved = {name: app.config[name] for name in settings}
    app.config.update(settings)
    app.extensions.pop("portal.storage", None)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield client
    app.config.update(saved)
    app.extensions.pop("portal.storage", None)


def _bucket_keys(client):
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket="portal-media")
                  .get("Contents", ()))


def test_an_s3_compatible_bucket_stores_serves_and_deletes(bucket, app):
    for key in _bucket_keys(bucket):
        bucket.delete_object(Bucket="portal-media", Key=key)
    image = storage.put_image(files.jpeg(), kind="product-image")
    document = storage.put(files.pdf(), "application/pdf", kind="product-document")
    db.session.commit()
    assert _bucket_keys(bucket) == sorted([*image.keys(), document])
    head = bucket.head_object(Bucket="portal-media", Key=document)
    assert head["ContentType"] == "application/pdf"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    response = app.test_client().get(storage.url(image.best("webp")))
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/webp"
    assert response.data == bucket.get_object(Bucket="portal-media",
                                              Key=image.best("webp"))["Body"].read()
    storage.delete(document)
    db.session.commit()
    assert document not in _bucket_keys(bucket)
    assert storage.get(document) is None


def test_a_refused_or_rolled_back_upload_leaves_nothing_in_the_bucket(bucket):
    for key in _bucket_keys(bucket):
        bucket.delete_object(Bucket="portal-media", Key=key)
    with pytest.raises(storage.UploadRefused):
        storage.put(files.pdf_with_javascript(), "application/pdf", kind="product-document")
    storage.put_image(files.jpeg(), kind="product-image")
    db.session.rollback()
    assert _bucket_keys(bucket) == []


@pytest.mark.config(STORAGE_PUBLIC_URL="https://cdn.example.com/media/")
def test_a_cdn_address_replaces_the_portal_s_own_for_public_files(app):
    key = "product-image/ab/" + "a" * 64 + ".webp"
    private = "quote-attachment/ab/" + "a" * 64 + ".pdf"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert storage.url(key) == f"https://cdn.example.com/media/{key}"
        assert storage.url(private) == f"/media/{private}"
    csp = app.test_client().get("/login").headers["Content-Security-Policy"]
    assert "img-src 'self' https://cdn.example.com" in csp
