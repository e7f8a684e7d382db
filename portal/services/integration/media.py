"""A product's photos, documents and video links for the seller's PIM: listed, added and
removed by SKU through the back office's own services (`content`), so an upload meets the
same checks (type read from the bytes, size limit, no script, metadata stripped). Audited
with the client's name."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import Product
from portal.services import NotFound, content, storage
from portal.services.integration.audit import audit


def _product(sku: str) -> Product:
    product = db.session.scalar(select(Product).where(Product.sku == sku.strip().upper()))
    if product is None:
        raise NotFound(sku)
    return product


def describe_image(row) -> dict:
    image = storage.StoredImage.from_json(row.image)
    return {"id": row.id, "position": row.position, "alt_fr": row.alt_fr, "alt_en": row.alt_en,
            "width": image.width, "height": image.height,
            "variants": [{"format": fmt, "width": width, "url": storage.url(key)}
                         for fmt, width, key in sorted(image.variants,
                                                       key=lambda v: (v[0], v[1]))]}


def describe_document(row) -> dict:
    return {"id": row.id, "kind": row.kind.value, "language": row.language, "title": row.title,
            "size_bytes": row.size_bytes, "url": storage.url(row.key)}


def describe_video(row) -> dict:
    return {"id": row.id, "url": row.url, "title_fr": row.title_fr, "title_en": row.title_en}


def product_media(sku: str) -> dict:
    product = _product(sku)
    return {"sku": product.sku,
            "images": [describe_image(r) for r in content.images_of(product)],
            "documents": [describe_document(r) for r in content.documents_of(product)],
            "videos": [describe_video(r) for r in content.videos_of(product)]}


def add_media(client, sku: str, what: str, data: bytes, content_type: str, fields: dict) -> dict:
    """Add an image, a document or a video link (`what`) to the product with this SKU."""
    product = _product(sku)
    if what == "images":
        row = content.add_image(product, data, content_type or "image/jpeg",
                                fields.get("alt_fr", ""), fields.get("alt_en", ""))
    elif what == "documents":
        row = content.add_document(product, data, content_type or "application/pdf",
                                   fields.get("kind", ""), fields.get("language", ""),
                                   fields.get("title", ""))
    else:
        row = content.add_video(product, fields.get("url", ""), fields.get("title_fr", ""),
                                fields.get("title_en", ""))
    db.session.flush()
    audit(client, f"product.{what[:-1]}_added", product, {what[:-1]: row.id})
    return DESCRIBE[what](row)


def remove_media(client, sku: str, what: str, media_id: int) -> None:
    product = _product(sku)
    removed = REMOVE[what](product, media_id)
    if removed is None:
        raise NotFound(media_id)
    audit(client, f"product.{what[:-1]}_removed", product, {what[:-1]: media_id})


DESCRIBE = {"images": describe_image, "documents": describe_document, "videos": describe_video}
REMOVE = {"images": content.remove_image, "documents": content.remove_document,
          "videos": content.remove_video}
