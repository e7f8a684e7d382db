"""A product's photos, documents and attributes in the back office: upload, remove, reorder;
set the product's values and add an attribute to its category."""

from flask import abort, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.access import allow
from portal.blueprints.catalog_admin import bp
from portal.models import Product, Role
from portal.rendering import render
from portal.services import catalog, content, storage
from portal.services.accounts import record
from portal.usecases import moved_on, run
from portal.web import accepts_upload

ADMIN = (Role.STAFF_ADMIN,)


def _product(product_id: int) -> Product:
    return catalog.find_product(product_id) or abort(404)


def _page(product: Product, status_code: int = 200, **extra):
    return render("content/product_media.html", status_code=status_code, product=product,
                  images=content.images_of(product), documents=content.documents_of(product),
                  attributes=content.attributes_of(product),
                  pictures={row.id: storage.StoredImage.from_json(row.image)
                            for row in content.images_of(product)}, **extra)


def _back(product: Product, message: str):
    return moved_on(message, url_for(".product_media", product_id=product.id))


def _refused(product_id: int):
    return lambda problem: _page(_product(product_id), errors={problem.field or "form":
                                                               str(problem)})


def _file():
    """The uploaded file's bytes and type (the view `accepts_upload`: the request may be as
    large as a PDF may be)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return b"", ""
    return upload.read(storage.upload_limit() + 1), upload.mimetype or ""


@bp.get("/products/<int:product_id>/media")
@allow(ADMIN)
def product_media(product_id: int):
    return _page(_product(product_id))


@bp.post("/products/<int:product_id>/images")
@accepts_upload
@allow(ADMIN)
def image_add(product_id: int):
    product = _product(product_id)
    data, kind = _file()

    def add():
        row = content.add_image(product, data, kind or "image/jpeg", request.form.get("alt_fr", ""),
                                request.form.get("alt_en", ""))
        record(current_user, "product.image_added", product, {"image": row.id})

    return run(add, refused=_refused(product_id),
               done=lambda _r: _back(product, _("Photo added to %(sku)s.", sku=product.sku)))


@bp.post("/products/<int:product_id>/images/<int:image_id>/<any(remove, up, down):action>")
@allow(ADMIN)
def image_change(product_id: int, image_id: int, action: str):
    product = _product(product_id)
    if action == "remove":
        found = content.remove_image(product, image_id)
    else:
        found = content.move_image(product, image_id, -1 if action == "up" else 1)
    if found is None:
        abort(404)
    record(current_user, f"product.image_{action}", product, {"image": image_id})
    return run(lambda: None, refused=_refused(product_id),
               done=lambda _r: _back(product, _("Photos of %(sku)s saved.", sku=product.sku)))


@bp.post("/products/<int:product_id>/documents")
@accepts_upload
@allow(ADMIN)
def document_add(product_id: int):
    product = _product(product_id)
    data, kind = _file()
    form = request.form

    def add():
        row = content.add_document(product, data, kind, form.get("kind", ""),
                                   form.get("language", ""), form.get("title", ""))
        record(current_user, "product.document_added", product, {"document": row.id})

    return run(add, refused=_refused(product_id),
               done=lambda _r: _back(product, _("Document added to %(sku)s.", sku=product.sku)))


@bp.post("/products/<int:product_id>/documents/<int:document_id>/remove")
@allow(ADMIN)
def document_remove(product_id: int, document_id: int):
    product = _product(product_id)
    if content.remove_document(product, document_id) is None:
        abort(404)
    record(current_user, "product.document_removed", product, {"document": document_id})
    return run(lambda: None, refused=_refused(product_id),
               done=lambda _r: _back(product, _("Document removed from %(sku)s.",
                                                sku=product.sku)))


def _attributes_refused(product_id: int, errors_name: str):
    """The page again with each field's message and what was typed (AttributesInvalid)."""
    return lambda problem: _page(_product(product_id), **{
        errors_name: getattr(problem, "errors", None) or {"form": str(problem)},
        errors_name.replace("errors", "typed"): request.form})


@bp.post("/products/<int:product_id>/attributes")
@allow(ADMIN)
def attributes_save(product_id: int):
    product = _product(product_id)
    return run(lambda: content.set_values(product, current_user, request.form),
               refused=_attributes_refused(product_id, "attribute_errors"),
               done=lambda _r: moved_on(_("Characteristics of %(sku)s saved.", sku=product.sku),
                                        url_for(".product_media", product_id=product.id)
                                        + "#attributes"))


@bp.post("/products/<int:product_id>/attributes/new")
@allow(ADMIN)
def attribute_add(product_id: int):
    product = _product(product_id)
    return run(lambda: content.add_attribute(product.category, current_user, request.form),
               refused=_attributes_refused(product_id, "new_errors"),
               done=lambda made: moved_on(
                   _("Attribute “%(name)s” added to %(category)s.",
                     name=made.name(str(get_locale())),
                     category=product.category.name(str(get_locale()))),
                   url_for(".product_media", product_id=product.id) + "#attributes"))
