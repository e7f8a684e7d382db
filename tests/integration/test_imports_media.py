"""Product photos, documents and video links from a CSV file with a ZIP of the files (or https
URLs): checked like a back-office upload in the dry run, added all or nothing; hostile files
and URLs that point inside the network are refused on their line, and nothing is stored."""

import http.server
import io
import threading
import zipfile

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ImportStatus, ProductDocument, ProductImage, ProductVideo
from portal.services.storage import remote
from tests.conftest import login
from tests.factories import csv_bytes, files
from tests.integration import test_product_content
from tests.integration.test_imports_catalog import commit
from tests.integration.test_imports_customers import run_to_rest

BASE = "/staff/imports"
HEADER = "sku;kind;file;language;title_fr;title_en"
EN = {"Accept-Language": "en"}
media_dir = test_product_content.media_dir  # the fixture: files stored in a fresh folder
PRIVATE = ("cette adresse est dans un réseau privé\u202f: seules les adresses publiques sont "
           "téléchargées")


def stored(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def zipped(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


def send(client, raw: bytes, archive: bytes | None):
    boundary = "media-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmedia\r\n'
             .encode()]
    for field, name, data, ctype in (("file", "media.csv", raw, "text/csv"),
                                     ("archive", "files.zip", archive, "application/zip")):
        if data is not None:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                         f'filename="{name}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                         + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return client.post(f"{BASE}/", data=body, headers=EN,
                       content_type=f"multipart/form-data; boundary={boundary}")


def dry_run(client, rows: list[str], archive: bytes | None = None):
    answer = send(client, csv_bytes(HEADER, rows), archive)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    return run_to_rest(client, int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1]))


def errors(job) -> dict[int, tuple[str, str]]:
    return {line: (column, reason) for line, column, reason in job.report["errors"]}


def counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (ProductImage, ProductDocument, ProductVideo))


def test_a_csv_with_its_zip_adds_photos_a_datasheet_and_a_video(client, world, media_dir):
    login(client, world.staff)
    cement = world.products["cement"]
    archive = zipped(**{"photos__cement.jpg": files.jpeg(), "fiche.pdf": files.pdf(),
                        "back.png": files.png()})
    job = dry_run(client, [
        "CIM-35;image;photos/cement.jpg;;Sac de ciment 35 kg;35 kg cement bag",
        "cim-35;image;back.png;;;",
        "CIM-35;datasheet;fiche.pdf;fr;Fiche technique;",
        "CIM-35;video;https://video.example/mise-en-oeuvre;;Mise en œuvre;How to lay it",
    ], archive)
    assert job.report["error_count"] == 0, job.report["errors"]
    page = client.get(f"{BASE}/{job.id}", headers=EN).get_data(as_text=True)
    assert "2 photos, 1 documents and 1 videos will be added." in page
    assert counts() == (0, 0, 0) and not stored(media_dir)  # the dry run stores nothing
    done = commit(client, job)
    assert done.report["result"] == {"images": 2, "documents": 1, "videos": 1}
    assert counts() == (2, 1, 1)
    first, second = db.session.scalars(select(ProductImage).order_by(ProductImage.position))
    assert (first.alt_fr, first.alt_en) == ("Sac de ciment 35 kg", "35 kg cement bag")
    assert second.alt_fr == cement.name_fr  # no alt text: the product's name
    document = db.session.scalar(select(ProductDocument))
    assert (document.kind, document.language, document.title) == ("datasheet", "fr",
                                                                  "Fiche technique")
    assert stored(media_dir) and db.session.get(type(done), done.id).archive is None
    buyer_page = client.get(f"/catalog/p/{cement.id}", headers=EN).get_data(as_text=True)
    assert 'alt="35 kg cement bag"' in buyer_page
    assert "How to lay it" in buyer_page


def test_hostile_files_are_refused_on_their_line_and_nothing_is_stored(client, world,
                                                                       media_dir):
    login(client, world.staff)
    archive = zipped(**{"good.jpg": files.jpeg(), "fake.jpg": files.FAKE_JPEG,
                        "drawing.jpg": files.SVG_WITH_SCRIPT, "script.jpg": files.SCRIPT,
                        "active.pdf": files.pdf_with_javascript()})
    job = dry_run(client, [
        "CIM-35;image;good.jpg;;;",
        "CIM-35;image;fake.jpg;;;",  # line 3
        "CIM-35;image;drawing.jpg;;;",
        "CIM-35;image;script.jpg;;;",
        "CIM-35;safety_sheet;active.pdf;en;Safety;Safety",
        "CIM-35;image;missing.jpg;;;",
    ], archive)
    found = errors(job)
    assert set(found) == {3, 4, 5, 6, 7}
    # The worker writes the report in the portal's language (French).
    assert found[3] == ("file", ("Cette image est illisible\u202f: elle est endommagée ou "
                                 "ce n'est pas une image."))
    assert found[4] == found[5] == ("file", "Ce fichier n'est pas une image JPEG, PNG ou WebP.")
    assert found[6][0] == "file" and "scripts" in found[6][1]
    assert found[7] == ("file", "aucun fichier de ce nom dans l'archive ZIP")
    assert client.post(f"{BASE}/{job.id}/commit").status_code == 409
    assert counts() == (0, 0, 0) and not stored(media_dir)


def test_row_problems_are_said_on_their_column(client, world, media_dir):
    login(client, world.staff)
    job = dry_run(client, [
        "NOPE-1;image;a.jpg;;;",
        "CIM-35;brochure;a.jpg;;;",
        "CIM-35;datasheet;a.pdf;de;;",
        "CIM-35;video;javascript:alert(1);;;",
        "CIM-35;image;a.jpg;;;",
    ])
    found = errors(job)
    assert found[2][0] == "sku"
    assert found[3][0] == "kind" and found[3][1].startswith("type inconnu")
    assert found[4] == ("language", "la langue d'un document est fr ou en")
    assert found[5][0] == "file" and "https://" in found[5][1]
    assert found[6] == ("file", ("envoyez l'archive ZIP des fichiers avec le CSV, ou "
                                 "indiquez une URL https"))


def test_a_zip_that_is_not_one_is_refused_whole(client, world, media_dir):
    login(client, world.staff)
    answer = send(client, csv_bytes(HEADER, ["CIM-35;image;a.jpg;;;"]), b"MZ not a zip")
    assert answer.status_code == 422
    assert "this one cannot be read" in answer.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/photo.jpg",
    "https://10.1.2.3/photo.jpg",
    "https://localhost/photo.jpg",  # a name that resolves to 127.0.0.1
    "https://[::ffff:169.254.169.254]/latest/meta-data",
    "https://[::1]/photo.jpg",
])
def test_an_url_that_points_inside_the_network_is_refused(client, world, media_dir, url):
    login(client, world.staff)
    job = dry_run(client, [f"CIM-35;image;{url};;;"])
    assert errors(job) == {2: ("file", PRIVATE)}


@pytest.mark.parametrize("url", ["http://example.com/a.jpg", "https://example.com:8443/a.jpg",
                                 "https://user:pw@example.com/a.jpg", "ftp://example.com/a"])
def test_only_plain_https_urls_are_fetched(client, world, media_dir, url):
    login(client, world.staff)
    job = dry_run(client, [f"CIM-35;image;{url};;;"])
    assert list(errors(job)) == [2]


INTERNAL = ["127.0.0.1", "10.0.0.8", "172.16.0.1", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "fc00::1", "fe80::1", "::ffff:10.0.0.1",  # noqa: S104
            "224.0.0.1"]


@pytest.mark.parametrize("address", INTERNAL)
def test_every_internal_address_is_refused(app, address):
    with app.test_request_context():
        assert remote.address_problem(address)


def test_a_public_address_is_fetchable(app):
    with app.test_request_context():
        assert remote.address_problem("93.184.215.14") is None


class Files(http.server.BaseHTTPRequestHandler):
    """A small web server on loopback: what each path answers."""

    answers: dict = {}

    def do_GET(self):  # noqa: N802 - the standard library's name
        status, headers, body = self.answers.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Files.answers
    httpd.shutdown()
    httpd.server_close()
    Files.answers.clear()


@pytest.mark.config(MEDIA_FETCH_LOOPBACK=True, STORAGE_MAX_IMAGE_BYTES=300_000)
def test_urls_are_fetched_with_redirects_checked_and_limits(client, world, media_dir, server):
    base, answers = server
    answers.update({
        "/photo.jpg": (200, {"Content-Type": "image/jpeg"}, files.jpeg(gps=True)),
        "/moved": (302, {"Location": "/photo.jpg"}, b""),
        "/inward": (302, {"Location": "https://10.0.0.9/photo.jpg"}, b""),
        "/huge.jpg": (200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff" + b"0" * 400_000),
        "/page.jpg": (200, {"Content-Type": "image/jpeg"}, files.HTML_PAGE),
    })
    login(client, world.staff)
    job = dry_run(client, [f"CIM-35;image;{base}/moved;;Sac;Bag",
                           f"CIM-35;image;{base}/inward;;;",
                           f"CIM-35;image;{base}/huge.jpg;;;",
                           f"CIM-35;image;{base}/page.jpg;;;",
                           f"CIM-35;image;{base}/gone.jpg;;;"])
    assert {line: reason for line, (_c, reason) in errors(job).items()} == {
        3: PRIVATE,
        4: "le fichier dépasse 0.3 Mo",
        5: "Ce fichier n'est pas une image JPEG, PNG ou WebP.",
        6: "le serveur a répondu 404",
    }


@pytest.mark.config(MEDIA_FETCH_LOOPBACK=True)
def test_a_file_changed_after_the_dry_run_fails_the_import_and_nothing_is_stored(
        client, world, media_dir, server):
    base, answers = server
    answers["/photo.jpg"] = (200, {"Content-Type": "image/jpeg"}, files.jpeg())
    login(client, world.staff)
    job = dry_run(client, ["CIM-35;image;first.jpg;;;", f"CIM-35;image;{base}/photo.jpg;;;"],
                  zipped(**{"first.jpg": files.jpeg(color=(10, 200, 10))}))
    assert job.report["error_count"] == 0, job.report["errors"]
    answers["/photo.jpg"] = (200, {"Content-Type": "image/jpeg"}, files.SCRIPT)
    assert client.post(f"{BASE}/{job.id}/commit").status_code == 303
    failed = run_to_rest(client, job.id)
    assert failed.status == ImportStatus.FAILED
    assert failed.report["errors"] == [[3, "file",
                                        "Ce fichier n'est pas une image JPEG, PNG ou WebP."]]
    assert counts() == (0, 0, 0) and not stored(media_dir)
