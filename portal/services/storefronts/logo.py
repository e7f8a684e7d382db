"""A storefront's logo in its header: uploaded by staff admins, stored by the same pipeline as
product pictures (services/storage: the bytes proved a real JPEG, PNG or WebP, under
STORAGE_MAX_IMAGE_BYTES, decoded in full, re-encoded without metadata in WebP and JPEG), kept on
the row as the storage's StoredImage JSON (`storefronts.logo`).

SVG is refused, not sanitised: an SVG is a document that may carry script, event handlers,
external references and CSS, and the pipeline's safety rests on re-encoding pixels, which it
cannot do for one (rasterising would need a renderer of its own). A logo exported as a PNG
loses nothing at 32 px high, and nothing a seller uploads is ever served as markup.

The header shows it 32 px high (a 360 px phone's header), so it is stored at widths that cover
1x to 3x of a logo up to MAX_RATIO times as wide as high; `Logo` is what the header needs
(its stored keys, URLs and rendered size), made once when the storefronts are read into memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Text, cast, func, select

from portal.extensions import db
from portal.models import Storefront
from portal.services import storage

HEADER_HEIGHT = 32  # CSS px in the header
WIDTHS = (96, 192, 384)
MAX_RATIO = 6  # a wider logo would leave a phone's header no room
FIELD = "logo"


@dataclass(frozen=True)
class Logo:
    """The header's <picture>: the stored image and its size at 32 px high. Its URLs are made
    when a page is rendered (no query: the keys are here), not when the storefronts are read
    into memory: that may happen outside any request (the worker, the paths' middleware),
    where a URL would name BASE_URL's host, another origin than the storefront's own, which
    its pages' CSP (img-src 'self') refuses."""

    image: storage.StoredImage
    width: int
    height: int = HEADER_HEIGHT

    @property
    def src(self) -> str:
        return self.image.src("jpeg", 2 * self.width)  # the JPEG fallback at 2x

    @property
    def srcset_webp(self) -> str:
        return self.image.srcset("webp")

    @property
    def srcset_jpeg(self) -> str:
        return self.image.srcset("jpeg")


def header_logo(value: dict | None) -> Logo | None:
    """The header's logo from the stored JSON (None: the name or initials, as without)."""
    if not value:
        return None
    image = storage.StoredImage.from_json(value)
    return Logo(image, max(1, round(HEADER_HEIGHT * image.width / image.height)))


def _looks_like_svg(data: bytes, content_type: str) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) or (
        "svg" in (content_type or "").lower() and head.startswith(b"<"))


def set_logo(front: Storefront, data: bytes, content_type: str) -> Storefront:
    """Store `data` as the storefront's logo; refused (UploadRefused at the field "logo",
    nothing stored, the old logo kept) unless it is a fitting image."""
    if not data:
        raise storage.UploadRefused(_("Choose an image file for the logo."), FIELD)
    if _looks_like_svg(data, content_type):
        raise storage.UploadRefused(_("SVG logos are not accepted (they can carry scripts): "
                                      "export the logo as a PNG."), FIELD)
    image = storage.put_image(data, kind="storefront-logo", content_type=content_type,
                              widths=WIDTHS, field=FIELD)
    # Refused after storing: the caller's rollback removes what was written.
    if image.width > MAX_RATIO * image.height:
        raise storage.UploadRefused(_("This logo is too wide: at most %(n)s times as wide as "
                                      "high.", n=MAX_RATIO), FIELD)
    if image.height < HEADER_HEIGHT:
        raise storage.UploadRefused(_("This logo is too small: at least %(px)s pixels high.",
                                      px=HEADER_HEIGHT), FIELD)
    _replace(front, image.as_json())
    return front


def remove_logo(front: Storefront) -> Storefront:
    _replace(front, None)
    return front


def _replace(front: Storefront, new: dict | None) -> None:
    old = storage.StoredImage.from_json(front.logo).keys() if front.logo else []
    front.logo = new
    db.session.flush()
    kept = set(storage.StoredImage.from_json(new).keys()) if new else set()
    for key in set(old) - kept:
        # The same file may be another storefront's logo too (same bytes, same key).
        if not db.session.scalar(select(func.count()).where(
                cast(Storefront.logo, Text).contains(key))):
            storage.delete(key)
