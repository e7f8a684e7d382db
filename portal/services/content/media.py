"""A product's images, documents, video links and attributes: read for the product page (one
statement per kind, whatever their number) and changed by staff in the back office."""

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import String, Text, bindparam, cast, func, literal, select, union_all

from portal.database import prepared, read
from portal.extensions import db
from portal.models import (
    Attribute,
    DocumentKind,
    Product,
    ProductAttribute,
    ProductDocument,
    ProductImage,
    ProductVideo,
)
from portal.services import DomainError, storage
from portal.services.text import clean_line

LANGUAGES = ("fr", "en")
MAX_IMAGES = 12
MAX_DOCUMENTS = 20
MAX_VIDEOS = 10


@dataclass(frozen=True)
class Picture:
    id: int
    image: storage.StoredImage
    alt: str


@dataclass(frozen=True)
class Document:
    id: int
    kind: DocumentKind
    language: str
    title: str
    key: str
    size_bytes: int


@dataclass(frozen=True)
class Video:
    url: str
    title: str


@dataclass(frozen=True)
class Content:
    pictures: list[Picture]
    documents: list[Document]
    videos: list[Video]
    attributes: list[tuple[str, str]]  # (name, value) in the reader's language


def _content_statement():
    """The product page's UNION ALL of the four tables, as text, built once: SQLAlchemy keys
    a statement object it has seen by identity, where building and keying this one on every
    request cost more than running it."""
    product_id = bindparam("product_id")
    return union_all(
        select(literal("i").label("part"), ProductImage.id, ProductImage.position,
               cast(ProductImage.image, Text).label("a"), ProductImage.alt_fr.label("b"),
               ProductImage.alt_en.label("c"), literal("").label("d"))
        .where(ProductImage.product_id == product_id),
        select(literal("d"), ProductDocument.id, ProductDocument.position, ProductDocument.key,
               ProductDocument.kind, ProductDocument.language,
               cast(ProductDocument.size_bytes, String) + literal("|") + ProductDocument.title)
        .where(ProductDocument.product_id == product_id),
        select(literal("v"), ProductVideo.id, literal(0), ProductVideo.url,
               ProductVideo.title_fr, ProductVideo.title_en, literal(""))
        .where(ProductVideo.product_id == product_id),
        select(literal("a"), Attribute.id, Attribute.position, Attribute.name_fr,
               Attribute.name_en, ProductAttribute.value_fr, ProductAttribute.value_en)
        .join(ProductAttribute, ProductAttribute.attribute_id == Attribute.id)
        .where(ProductAttribute.product_id == product_id),
    )


_CONTENT = prepared(_content_statement())  # by product id: kept prepared


def for_product(product_id: int, lang: str) -> Content:
    """Everything the product page shows of it, in one statement (a UNION ALL of the four
    tables, as text), whatever the number of pictures, documents, videos and attributes."""
    rows = sorted(read(_CONTENT, {"product_id": product_id}),
                  key=lambda r: (r.part, r.position, r.id))
    english = lang == "en"
    pictures = [Picture(r.id, storage.StoredImage.from_json(json.loads(r.a)),
                        (r.c if english else r.b) or r.b) for r in rows if r.part == "i"]
    documents = []
    for r in rows:
        if r.part == "d":
            size, _bar, title = r.d.partition("|")
            documents.append(Document(r.id, DocumentKind(r.b), r.c, title, r.a, int(size)))
    # The reader's language first, the other after (a French-only safety sheet still shows).
    documents.sort(key=lambda d: d.language != lang)
    videos = [Video(r.a, (r.c if english else r.b) or r.b or r.a) for r in rows if r.part == "v"]
    attributes = [((r.b if english else r.a) or r.a, (r.d if english else r.c) or r.c)
                  for r in rows if r.part == "a"]
    return Content(pictures, documents, videos, attributes)


def thumbnails(product_ids: list[int]) -> dict[int, storage.StoredImage]:
    """The first picture of each product, in one statement (for lists)."""
    if not product_ids:
        return {}
    first = (select(ProductImage.product_id, func.min(ProductImage.position).label("position"))
             .where(ProductImage.product_id.in_(product_ids))
             .group_by(ProductImage.product_id).subquery())
    rows = read(select(ProductImage.product_id, ProductImage.image).join(
        first, (first.c.product_id == ProductImage.product_id)
        & (first.c.position == ProductImage.position)))
    return {product_id: storage.StoredImage.from_json(image) for product_id, image in rows}


def add_image(product: Product, data: bytes, content_type: str, alt_fr: str, alt_en: str
              ) -> ProductImage:
    count = db.session.scalar(select(func.count()).where(ProductImage.product_id == product.id))
    if count >= MAX_IMAGES:
        raise DomainError(_("A product has at most %(n)s images.", n=MAX_IMAGES), "image")
    image = storage.put_image(data, kind="product-image", content_type=content_type,
                              field="image")
    last = db.session.scalar(select(func.max(ProductImage.position)).where(
        ProductImage.product_id == product.id))
    row = ProductImage(product_id=product.id, position=(last or 0) + 1, image=image.as_json(),
                       alt_fr=clean_line(alt_fr)[:200] or product.name_fr,
                       alt_en=clean_line(alt_en)[:200] or product.name_en)
    db.session.add(row)
    return row


def _image(product: Product, image_id: int) -> ProductImage | None:
    return db.session.scalar(select(ProductImage).where(ProductImage.id == image_id,
                                                        ProductImage.product_id == product.id))


def remove_image(product: Product, image_id: int) -> ProductImage | None:
    row = _image(product, image_id)
    if row is None:
        return None
    keys = set(storage.StoredImage.from_json(row.image).keys())
    db.session.delete(row)
    db.session.flush()
    _delete_unused(keys)
    return row


def _delete_unused(keys: set[str]) -> None:
    """Files no other product's picture uses any more (the same photo may serve two)."""
    for key in keys:
        used = db.session.scalar(select(func.count()).where(
            cast(ProductImage.image, Text).contains(key)))
        if not used:
            storage.delete(key)


def move_image(product: Product, image_id: int, step: int) -> ProductImage | None:
    """Up (-1) or down (+1) one place; the first is the thumbnail."""
    rows = list(db.session.scalars(select(ProductImage).where(
        ProductImage.product_id == product.id).order_by(ProductImage.position, ProductImage.id)))
    index = next((i for i, row in enumerate(rows) if row.id == image_id), None)
    if index is None:
        return None
    target = min(max(index + step, 0), len(rows) - 1)
    rows.insert(target, rows.pop(index))
    for position, row in enumerate(rows, start=1):
        row.position = position
    return rows[target]


def add_document(product: Product, data: bytes, content_type: str, kind: str, language: str,
                 title: str) -> ProductDocument:
    if kind not in {k.value for k in DocumentKind}:
        raise DomainError(_("Choose the kind of document."), "kind")
    if language not in LANGUAGES:
        raise DomainError(_("Choose the language of the document."), "language")
    count = db.session.scalar(select(func.count()).where(
        ProductDocument.product_id == product.id))
    if count >= MAX_DOCUMENTS:
        raise DomainError(_("A product has at most %(n)s documents.", n=MAX_DOCUMENTS),
                          "document")
    key = storage.put(data, content_type or "application/pdf", kind="product-document",
                      field="document")
    row = ProductDocument(product_id=product.id, kind=DocumentKind(kind), language=language,
                          title=clean_line(title)[:200], key=key, size_bytes=len(data),
                          position=count + 1)
    db.session.add(row)
    return row


def remove_document(product: Product, document_id: int) -> ProductDocument | None:
    row = db.session.scalar(select(ProductDocument).where(
        ProductDocument.id == document_id, ProductDocument.product_id == product.id))
    if row is None:
        return None
    key = row.key
    db.session.delete(row)
    db.session.flush()
    if not db.session.scalar(select(func.count()).where(ProductDocument.key == key)):
        storage.delete(key)
    return row


def images_of(product: Product) -> list[ProductImage]:
    return list(db.session.scalars(select(ProductImage).where(
        ProductImage.product_id == product.id).order_by(ProductImage.position, ProductImage.id)))


def documents_of(product: Product) -> list[ProductDocument]:
    return list(db.session.scalars(select(ProductDocument).where(
        ProductDocument.product_id == product.id).order_by(ProductDocument.position,
                                                           ProductDocument.id)))


def check_video_url(url: str) -> str:
    """A video link as stored: an https URL (shown as a link, never embedded)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if len(url) > 500 or parts.scheme != "https" or not parts.hostname or parts.username:
        raise DomainError(_("Give an https:// URL of at most 500 characters."), "url")
    return url


def add_video(product: Product, url: str, title_fr: str, title_en: str) -> ProductVideo:
    url = check_video_url(url)
    count = db.session.scalar(select(func.count()).where(ProductVideo.product_id == product.id))
    if count >= MAX_VIDEOS:
        raise DomainError(_("A product has at most %(n)s videos.", n=MAX_VIDEOS), "url")
    row = ProductVideo(product_id=product.id, url=url, title_fr=clean_line(title_fr)[:200],
                       title_en=clean_line(title_en)[:200])
    db.session.add(row)
    return row


def videos_of(product: Product) -> list[ProductVideo]:
    return list(db.session.scalars(select(ProductVideo).where(
        ProductVideo.product_id == product.id).order_by(ProductVideo.id)))


def remove_video(product: Product, video_id: int) -> ProductVideo | None:
    row = db.session.scalar(select(ProductVideo).where(ProductVideo.id == video_id,
                                                       ProductVideo.product_id == product.id))
    if row is not None:
        db.session.delete(row)
    return row
