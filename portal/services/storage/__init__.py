"""Stored files: product images and documents, the seller's page images, and whatever another
feature keeps (quote attachments, proof-of-delivery photos). One front door, two backends.

    key = storage.put(data, content_type, kind="product-document")   # checked, then stored
    storage.get(key) -> bytes | None
    storage.url(key) -> "/media/<key>" (or STORAGE_PUBLIC_URL + key)
    storage.delete(key)                                                 # once the commit is done
    storage.put_image(data, kind="product-image") -> StoredImage       # 160/480/960 px, WebP + JPEG

A key is `<kind>/<2 hex>/<sha256 of the bytes>.<jpg|png|webp|pdf>`: the same bytes give the same
key, a changed file a new one, so a URL never changes meaning and is cached for a year; the
extension is the stored type, so serving a file needs no database query. Kinds are declared in
KINDS (public: served to anyone holding the URL at /media/; private: only through the owning
feature's own route, which checks access and answers with `portal.media.stored_response`).

Every upload is checked by content before anything is written (`checks`: a real JPEG, PNG,
WebP or PDF, under its size limit, a PDF without scripts or attached files); images are
re-encoded (`images`: metadata stripped). What `put` wrote is removed again when the caller's
transaction rolls back, and `delete` waits for the commit: nothing is stored half-way.

Modules: `checks` (pure verdicts on bytes), `images` (upright, clean, resized), `backends`
(a folder or an S3-compatible bucket; settings STORAGE_*), `remote` (`fetch`: a file at an
https URL, from public addresses only, for the CSV import of media).
"""

import hashlib
import re
from dataclasses import dataclass

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import event

from portal.extensions import db
from portal.services.storage.backends import CACHE_FOREVER, backend_from_settings
from portal.services.storage.checks import (
    DOCUMENT_TYPES,
    EXTENSION_TYPES,
    IMAGE_TYPES,
    UploadRefused,
    check_pdf,
    check_size,
    check_type,
    open_image,
)
from portal.services.storage.images import WIDTHS, reencoded, upright_rgb, variants
from portal.services.storage.remote import FetchRefused, check_url, fetch

__all__ = ["put", "get", "url", "delete", "put_image", "check", "StoredImage", "UploadRefused",
           "KINDS", "content_type_of", "is_public", "CACHE_FOREVER", "upload_limit",
           "IMAGE_TYPES", "DOCUMENT_TYPES", "backend", "FetchRefused", "check_url", "fetch"]

# kind -> public? A feature that stores files adds its kind here.
KINDS = {
    "product-image": True,
    "product-document": True,
    "page-image": True,
    "storefront-logo": True,
    "quote-attachment": False,
    "delivery-proof": False,
}
KEY = re.compile(
    r"^(?P<kind>[a-z][a-z0-9-]{1,31})/[0-9a-f]{2}/[0-9a-f]{64}\.(?P<ext>jpg|png|webp|pdf)$")


def backend():
    app = current_app._get_current_object()
    found = app.extensions.get("portal.storage")
    if found is None:
        found = app.extensions["portal.storage"] = backend_from_settings(app.config,
                                                                          app.instance_path)
    return found


def upload_limit(content_type: str = "application/pdf") -> int:
    """Bytes an upload of this type may have (STORAGE_MAX_IMAGE_BYTES, STORAGE_MAX_PDF_BYTES)."""
    return _limits()["pdf" if content_type in DOCUMENT_TYPES else "image"]


def _limits() -> dict[str, int]:
    config = current_app.config
    return {"image": config["STORAGE_MAX_IMAGE_BYTES"], "pdf": config["STORAGE_MAX_PDF_BYTES"]}


def check(data: bytes, content_type: str, field: str | None = None) -> tuple[str, bytes]:
    """(proved type, bytes to store): images re-encoded clean, PDFs as sent once checked.
    Raises UploadRefused (422, 413 for size) with a message for the field."""
    check_size(len(data), content_type if content_type in DOCUMENT_TYPES else "image/*",
               _limits(), field)
    sniffed = check_type(data, content_type, field)
    check_size(len(data), sniffed.content_type, _limits(), field)
    if sniffed.content_type in DOCUMENT_TYPES:
        check_pdf(data, field)
        return sniffed.content_type, data
    return sniffed.content_type, reencoded(open_image(data, field), sniffed.extension)


def put(data: bytes, content_type: str, *, kind: str, field: str | None = None) -> str:
    """Checks the bytes (see `check`), stores them, answers their key."""
    _known(kind)
    proved, clean = check(data, content_type, field)
    return _store(clean, proved, kind)


def _store(data: bytes, content_type: str, kind: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    key = f"{kind}/{digest[:2]}/{digest}.{_extension(content_type)}"
    store = backend()
    if not store.exists(key):
        # A transaction to belong to: its rollback removes the file (an idle session has none).
        db.session.connection()
        db.session.info.setdefault("storage.new", set()).add(key)
        store.write(key, data, content_type)
    return key


def _extension(content_type: str) -> str:
    return {**IMAGE_TYPES, **DOCUMENT_TYPES}[content_type]


def _known(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown storage kind {kind!r}: declare it in storage.KINDS")


def get(key: str) -> bytes | None:
    """The stored bytes, or None for a key that is malformed or not there."""
    return backend().read(key) if KEY.match(key or "") else None


def content_type_of(key: str) -> str | None:
    """The stored type, read from the key alone (no query): None for a malformed key."""
    match = KEY.match(key or "")
    return EXTENSION_TYPES[match["ext"]] if match else None


def is_public(key: str) -> bool:
    match = KEY.match(key or "")
    return bool(match) and KINDS.get(match["kind"], False)


def url(key: str) -> str:
    """Where a page links the object: STORAGE_PUBLIC_URL + key when a bucket or CDN serves it,
    else the portal's /media/ route (private kinds too: their owner serves them elsewhere)."""
    public = current_app.config.get("STORAGE_PUBLIC_URL", "")
    if public and is_public(key):
        return f"{public.rstrip('/')}/{key}"
    if has_request_context():
        return url_for("media.stored", key=key)
    return f"{current_app.config['BASE_URL'].rstrip('/')}/media/{key}"


def delete(key: str) -> None:
    """Removes the object once the current transaction commits (kept if it rolls back)."""
    if KEY.match(key or ""):
        db.session.connection()
        db.session.info.setdefault("storage.gone", set()).add(key)


@dataclass(frozen=True)
class StoredImage:
    """An image stored at several widths: (format, width, key) per variant, and the size of
    the largest (width/height attributes that keep the layout still while it loads)."""

    width: int
    height: int
    variants: tuple[tuple[str, int, str], ...]

    def keys(self) -> list[str]:
        return [key for _fmt, _w, key in self.variants]

    def best(self, fmt: str = "jpeg", width: int = 480) -> str:
        """The key of the smallest variant at least `width` wide (the largest if none is)."""
        options = sorted((w, key) for f, w, key in self.variants if f == fmt)
        return next((key for w, key in options if w >= width), options[-1][1])

    def src(self, fmt: str = "jpeg", width: int = 480) -> str:
        return url(self.best(fmt, width))

    def srcset(self, fmt: str) -> str:
        return ", ".join(f"{url(key)} {w}w" for f, w, key in sorted(self.variants,
                                                                   key=lambda v: v[1])
                         if f == fmt)

    def as_json(self) -> dict:
        return {"width": self.width, "height": self.height,
                "variants": [list(v) for v in self.variants]}

    @classmethod
    def from_json(cls, value: dict) -> "StoredImage":
        return cls(int(value["width"]), int(value["height"]),
                   tuple((str(f), int(w), str(k)) for f, w, k in value["variants"]))


def put_image(data: bytes, *, kind: str, content_type: str = "image/jpeg",
              widths: tuple[int, ...] = WIDTHS, field: str | None = None) -> StoredImage:
    """A checked image stored at each width in WebP and JPEG (metadata stripped)."""
    _known(kind)
    check_size(len(data), "image/*", _limits(), field)
    sniffed = check_type(data, content_type, field)
    if sniffed.content_type not in IMAGE_TYPES:
        raise UploadRefused(_("This file is not a JPEG, PNG or WebP image."), field)
    clean = upright_rgb(open_image(data, field))
    made = variants(clean, widths)
    stored = tuple((v.format, v.width, _store(v.data, v.content_type, kind)) for v in made)
    largest = max(made, key=lambda v: v.width)
    return StoredImage(largest.width, largest.height, stored)


def _forget_new(session, previous_transaction):
    if previous_transaction.nested:
        return  # a savepoint: the transaction that owns the files goes on
    new = session.info.pop("storage.new", set())
    session.info.pop("storage.gone", None)
    for key in new:
        try:
            backend().remove(key)
        except Exception:  # noqa: BLE001, S112 - an orphan left behind beats a failed rollback
            continue


def _apply_deletes(session):
    session.info.pop("storage.new", None)
    gone = session.info.pop("storage.gone", set())
    for key in gone:
        try:
            backend().remove(key)
        except Exception:  # noqa: BLE001, S112 - the rows are gone; a stray file is harmless
            continue


def _listen():
    from flask_sqlalchemy.session import Session

    if not event.contains(Session, "after_commit", _apply_deletes):
        event.listen(Session, "after_commit", _apply_deletes)
        event.listen(Session, "after_soft_rollback", _forget_new)


_listen()
