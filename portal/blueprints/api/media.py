"""A product's photos, documents and video links for the seller's PIM, by SKU: list, upload
(multipart: the file and its fields), add a video link, remove one. The same checks as the
back office's upload (services/content, services/storage)."""

from flask import g, jsonify, request

from portal.blueprints.api import bp
from portal.blueprints.api.media_schemas import (
    DocumentOut,
    DocumentUpload,
    ImageOut,
    ImageUpload,
    ProductMediaOut,
    VideoIn,
    VideoOut,
)
from portal.blueprints.api.operations import operation
from portal.services import integration, storage
from portal.web import accepts_upload

TAGS = ["catalog"]
UPLOAD_REFUSALS = ("HTTP_400", "HTTP_404", "HTTP_413", "HTTP_415", "HTTP_422")


@bp.get("/products/<string:sku>/media")
@operation("catalog:read", tags=TAGS, resp={"HTTP_200": ProductMediaOut},
           status_codes=("HTTP_404",))
def product_media(sku: str):
    """The product's images (each width in WebP and JPEG), documents and video links."""
    return jsonify(integration.product_media(sku))


def _add(sku: str, what: str):
    sent = request.files.get("file")
    data = sent.read(storage.upload_limit() + 1) if sent else b""
    fields = {k: v for k, v in request.form.items() if k != "file"}
    made = integration.add_media(g.api_client, sku, what, data,
                                 (sent.mimetype if sent else "") or "", fields)
    return jsonify(made), 201


@bp.post("/products/<string:sku>/images")
@accepts_upload
@operation("catalog:write", form=ImageUpload, tags=TAGS, resp={"HTTP_201": ImageOut},
           status_codes=UPLOAD_REFUSALS)
def add_product_image(sku: str, form: ImageUpload):
    """Add a photo (checked by its bytes, metadata stripped, stored at each width)."""
    return _add(sku, "images")


@bp.post("/products/<string:sku>/documents")
@accepts_upload
@operation("catalog:write", form=DocumentUpload, tags=TAGS, resp={"HTTP_201": DocumentOut},
           status_codes=UPLOAD_REFUSALS)
def add_product_document(sku: str, form: DocumentUpload):
    """Add a PDF of a kind and language (refused with scripts, actions or attached files)."""
    return _add(sku, "documents")


@bp.post("/products/<string:sku>/videos")
@operation("catalog:write", json=VideoIn, tags=TAGS, resp={"HTTP_201": VideoOut},
           status_codes=("HTTP_400", "HTTP_404", "HTTP_415"))
def add_product_video(sku: str, json: VideoIn):
    """Add a video link (https; shown as a link, no player loads with the page)."""
    made = integration.add_media(g.api_client, sku, "videos", b"", "", json.model_dump())
    return jsonify(made), 201


@bp.delete("/products/<string:sku>/<any(images, documents, videos):what>/<int:media_id>")
@operation("catalog:write", tags=TAGS, resp={"HTTP_204": None}, status_codes=("HTTP_404",))
def remove_product_media(sku: str, what: str, media_id: int):
    """Remove one image, document or video link of the product (its files once unused)."""
    integration.remove_media(g.api_client, sku, what, media_id)
    return "", 204
