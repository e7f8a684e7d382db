"""What an upload must be before anything is stored: a real JPEG, PNG or WebP image, or a real
PDF without active content, under the size limit of its kind. Pure: bytes in, a verdict out.

The type is read from the bytes, never from the name or the browser's claim: a script, an SVG
or an HTML page sent as `image/jpeg` is refused, and an image is decoded in full before it is
accepted (then re-encoded by `images`, which drops whatever rode along with it).
"""

import io
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from portal.services import DomainError

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
DOCUMENT_TYPES = {"application/pdf": "pdf"}
EXTENSION_TYPES = {ext: kind for kind, ext in {**IMAGE_TYPES, **DOCUMENT_TYPES}.items()}
# A photo from any phone fits; a decompression bomb (a small file of huge dimensions) does not.
MAX_PIXELS = 50_000_000
MAX_SIDE = 12_000

# PDF names that run something, fetch something or carry another file: none has a place in a
# datasheet a buyer opens on a phone. (/OpenAction is allowed as a page to open at; an action it
# names is read like any other.)
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/AA", "/EmbeddedFile", "/EmbeddedFiles",
                "/RichMedia", "/XFA"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/Rendition",
                   "/RichMediaExecute", "/GoToE"}


class UploadRefused(DomainError):
    """The file is not what it claims, too large, or carries active content. 413 for size."""

    code = "upload_refused"

    def __init__(self, message: str, field: str | None = None, status: int = 422):
        super().__init__(message, field)
        self.status = status


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def sniff(data: bytes) -> str | None:
    """The type the first bytes prove, among those the portal stores; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_size(size: int, content_type: str, limits: dict[str, int], field: str | None = None):
    limit = limits["pdf"] if content_type in DOCUMENT_TYPES else limits["image"]
    if size > limit:
        raise UploadRefused(
            _("This file is too large: %(size)s MB, at most %(limit)s MB.",
              size=_megabytes(size), limit=_megabytes(limit)), field, status=413)
    if size == 0:
        raise UploadRefused(_("This file is empty."), field)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0")


def check_type(data: bytes, claimed: str, field: str | None = None) -> Sniffed:
    """The type the bytes prove, when it is the claimed family (an image for an image)."""
    actual = sniff(data)
    claimed = (claimed or "").split(";")[0].strip().lower()
    wants_image = claimed.startswith("image/") or claimed == ""
    if actual in IMAGE_TYPES and (wants_image or claimed == "application/octet-stream"):
        return Sniffed(actual, IMAGE_TYPES[actual])
    if actual in DOCUMENT_TYPES and claimed in ("application/pdf", "application/octet-stream",
                                                 ""):
        return Sniffed(actual, "pdf")
    if wants_image:
        raise UploadRefused(_("This file is not a JPEG, PNG or WebP image."), field)
    raise UploadRefused(_("This file is not a PDF document."), field)


def open_image(data: bytes, field: str | None = None) -> Image.Image:
    """The image, decoded in full; refused when Pillow cannot read all of it or it is huge."""
    def too_large():
        return UploadRefused(_("This image is too large: at most %(pixels)s million pixels.",
                               pixels=MAX_PIXELS // 1_000_000), field)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise too_large()
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise UploadRefused(_("This image cannot be read: it is damaged or not an image."),
                            field) from None
    return image


def check_pdf(data: bytes, field: str | None = None) -> int:
    """The PDF's page count; refused when unreadable, encrypted or carrying active content."""
    try:
        with warnings.catch_warnings(action="ignore"):
            reader = PdfReader(io.BytesIO(data), strict=False)
            encrypted = reader.is_encrypted
            pages = 0 if encrypted else len(reader.pages)
            active = not encrypted and _has_active_content(reader)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError,
            RecursionError, AssertionError, IndexError):
        raise UploadRefused(_("This PDF cannot be read: it is damaged or not a PDF."),
                            field) from None
    if encrypted:
        raise UploadRefused(_("This PDF is protected by a password: send it unprotected."),
                            field)
    if active:
        raise UploadRefused(_("This PDF contains scripts, actions or attached files: "
                              "send a plain PDF."), field)
    if pages == 0:
        raise UploadRefused(_("This PDF has no page."), field)
    return pages


def _has_active_content(reader: PdfReader) -> bool:
    """Every object of the file is read (object streams and #-escaped names included)."""
    objects = [reader.trailer]
    for generation, numbers in reader.xref.items():
        objects.extend(IndirectObject(number, generation, reader) for number in numbers)
    objects.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    for reference in objects:
        value = reference.get_object() if isinstance(reference, IndirectObject) else reference
        if _active(value, depth=0):
            return True
    return False


def _active(value, depth: int) -> bool:
    if depth > 32:
        return True  # nesting no real datasheet has: refused rather than half-read
    if isinstance(value, DictionaryObject):
        if _ACTIVE_KEYS.intersection(str(key) for key in value.keys()):
            return True
        action = value.get("/S")
        if isinstance(action, NameObject) and str(action) in _ACTIVE_ACTIONS:
            return True
        return any(_active(item, depth + 1) for item in value.values()
                   if not isinstance(item, IndirectObject))
    if isinstance(value, ArrayObject):
        return any(_active(item, depth + 1) for item in value
                   if not isinstance(item, IndirectObject))
    return False
