"""Demo product content and the seller's pages: pictures drawn here with Pillow (no copied
photo), datasheets and safety sheets drawn with reportlab, fire resistance for plasterboard,
allergens and origin for food, and the terms of sale, legal notice, delivery and contact pages
in French and English (the terms published once: version 1)."""

import io
import random

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select

from portal.demo.pages_text import PAGES
from portal.extensions import db
from portal.models import (
    Attribute,
    Category,
    DocumentKind,
    Product,
    ProductAttribute,
    ProductDocument,
    ProductImage,
    ProductVideo,
)
from portal.services import content, storage

PICTURED = {  # SKU prefix -> (shape, colour)
    "PLQ": ("board", (236, 236, 230)), "CIM": ("bag", (196, 196, 188)),
    "MOR": ("bag", (214, 200, 170)), "BLK": ("block", (150, 150, 150)),
    "PNT": ("bucket", (245, 245, 245)), "CND": ("bottle", (214, 170, 40)),
    "FEC": ("bag", (230, 200, 120)), "CAF": ("box", (110, 70, 40)),
}
PER_PREFIX = 4
# (variant code in the SKU, French, English): three ratings, so that filtering by one (or two)
# of them leaves a part of the boards.
FIRE = {"F13": ("EI 90", "EI 90"), "P18": ("EI 60", "EI 60"), "HD13": ("EI 60", "EI 60")}
FIRE_DEFAULT = ("EI 30", "EI 30")
ALLERGENS = [  # word in the French name -> (French, English)
    ("Tagliatelles", "Gluten (blé), œufs", "Gluten (wheat), eggs"),
    ("Mayonnaise", "Œufs, moutarde", "Eggs, mustard"), ("Moutarde", "Moutarde", "Mustard"),
    ("soja", "Soja, gluten (blé)", "Soy, gluten (wheat)"),
    ("poisson", "Poisson", "Fish"), ("Fond de veau", "Céleri", "Celery"),
    *[(word, "Gluten (blé)", "Gluten (wheat)") for word in (
        "Spaghetti", "Penne", "Fusilli", "Coquillettes", "Lasagnes", "Farine", "Semoule",
        "Boulgour", "Chapelure")],
]
NO_ALLERGEN = ("Aucun des 14 allergènes majeurs", "None of the 14 major allergens")


def seed_content(staff=None) -> dict[str, int]:
    rng = random.Random(7)
    counts = {"pictures": 0, "documents": 0}
    for prefix, (shape, colour) in PICTURED.items():
        products = db.session.scalars(select(Product).where(Product.sku.like(f"{prefix}-%"))
                                      .order_by(Product.id).limit(PER_PREFIX)).all()
        for index, product in enumerate(products):
            views = 2 if index == 0 else 1
            for view in range(views):
                image = _picture(_draw(shape, colour, rng, view))
                db.session.add(ProductImage(
                    product_id=product.id, position=view + 1, image=image.as_json(),
                    alt_fr=product.name_fr + (" (détail)" if view else ""),
                    alt_en=product.name_en + (" (detail)" if view else "")))
                counts["pictures"] += 1
            if index < 2:
                counts["documents"] += _documents(product, shape)
    _attributes()
    for slug, position, title_fr, title_en, body_fr, body_en in PAGES:
        saved = content.save_page(staff, None, {
            "slug": slug, "title_fr": title_fr, "title_en": title_en, "body_fr": body_fr,
            "body_en": body_en, "published": "1"})
        saved.footer_position = position
    db.session.flush()
    counts["pages"] = len(PAGES)
    return counts


# Drawn pictures stored once per process (their bytes never change: the seed is fixed), so
# seeding the demo again (the scenario tests do, on many dates) costs no re-encoding.
_STORED: dict[bytes, storage.StoredImage] = {}


def _picture(drawing: bytes) -> storage.StoredImage:
    known = _STORED.get(drawing)
    if known is not None and all(storage.get(key) is not None for key in known.keys()[:1]):
        return known
    _STORED[drawing] = storage.put_image(drawing, kind="product-image",
                                         content_type="image/png")
    return _STORED[drawing]


def _documents(product: Product, shape: str) -> int:
    sheets = [(DocumentKind.DATASHEET, "fr", "Fiche technique"),
              (DocumentKind.DATASHEET, "en", "Technical datasheet")]
    if shape in ("bag", "bucket", "board"):
        sheets.append((DocumentKind.SAFETY_SHEET, "fr", "Fiche de données de sécurité"))
    if shape == "board":
        sheets.append((DocumentKind.PERFORMANCE, "fr", "Déclaration de performances"))
    for position, (kind, language, title) in enumerate(sheets, start=1):
        data = _pdf(product, title, language)
        db.session.add(ProductDocument(
            product_id=product.id, kind=kind, language=language, title="",
            key=storage.put(data, "application/pdf", kind="product-document"),
            size_bytes=len(data), position=position))
    if shape == "board":
        db.session.add(ProductVideo(product_id=product.id,
                                    url="https://www.example.com/videos/pose-plaque-platre",
                                    title_fr="Poser une plaque de plâtre (vidéo, 4 min)",
                                    title_en="Fitting plasterboard (video, 4 min)"))
    return len(sheets)


def _attributes() -> None:
    boards = db.session.scalar(select(Category).where(Category.slug == "blocs-cloisons"))
    fire = Attribute(category_id=boards.id, code="fire", name_fr="Résistance au feu",
                     name_en="Fire resistance", filterable=True, position=1)
    db.session.add(fire)
    food = {slug: db.session.scalar(select(Category).where(Category.slug == slug))
            for slug in ("condiments", "feculents", "conserves", "cafe-the")}
    allergens, origins = {}, {}
    for slug, category in food.items():
        if category is None:
            continue
        allergens[slug] = Attribute(category_id=category.id, code="allergens",
                                    name_fr="Allergènes", name_en="Allergens", position=1)
        origins[slug] = Attribute(category_id=category.id, code="origin", name_fr="Origine",
                                  name_en="Origin", filterable=True, position=2)
        db.session.add_all([allergens[slug], origins[slug]])
    db.session.flush()
    for product in db.session.scalars(select(Product).where(Product.sku.like("PLQ-%"))):
        value = FIRE.get(product.sku.split("-")[1], FIRE_DEFAULT)
        _value(product, fire, *value)
    for slug, attribute in allergens.items():
        for product in db.session.scalars(select(Product).where(
                Product.category_id == food[slug].id)):
            found = next(((fr, en) for word, fr, en in ALLERGENS
                          if word.lower() in product.name_fr.lower()), NO_ALLERGEN)
            _value(product, attribute, *found)
            origin = ("France", "France") if any(w in product.name_fr for w in (
                "Guérande", "Puy", "Dijon", "Provence")) else ("Union européenne",
                                                                "European Union")
            _value(product, origins[slug], *origin)


def _value(product: Product, attribute: Attribute, fr: str, en: str) -> None:
    db.session.add(ProductAttribute(product_id=product.id, attribute_id=attribute.id,
                                    value_fr=fr, value_en=en, value_key=content.value_key(fr)))


def _draw(shape: str, colour: tuple, rng: random.Random, view: int) -> bytes:
    """A simple product-like picture: a board, a bag, a block, a bucket, a bottle or a box."""
    width, height = 960, 720
    image = Image.new("RGB", (width, height), (242, 244, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, width, height), fill=(222, 226, 230))
    shade = tuple(max(0, c - 40) for c in colour)
    dx = rng.randint(-40, 40) + (120 if view else 0)
    if shape == "board":
        for step in range(5):
            y = 470 - step * 22
            draw.polygon([(150 + dx, y), (760 + dx, y), (820 + dx, y - 60), (210 + dx, y - 60)],
                         fill=colour, outline=shade)
            draw.rectangle((150 + dx, y, 760 + dx, y + 20), fill=shade)
    elif shape == "bag":
        draw.rounded_rectangle((300 + dx, 150, 660 + dx, 560), radius=40, fill=colour,
                               outline=shade, width=6)
        draw.rectangle((300 + dx, 300, 660 + dx, 380), fill=(11, 79, 108))
    elif shape == "block":
        draw.rectangle((220 + dx, 260, 740 + dx, 540), fill=colour, outline=shade, width=6)
        for x in (330, 480, 630):
            draw.rectangle((x - 50 + dx, 320, x + 50 + dx, 480), fill=shade)
    elif shape == "bucket":
        draw.polygon([(320 + dx, 200), (640 + dx, 200), (610 + dx, 550), (350 + dx, 550)],
                     fill=colour, outline=(120, 120, 120))
        draw.rectangle((330 + dx, 300, 630 + dx, 400), fill=(200, 60, 40))
    elif shape == "bottle":
        draw.rectangle((430 + dx, 120, 530 + dx, 220), fill=shade)
        draw.rounded_rectangle((360 + dx, 200, 600 + dx, 560), radius=50, fill=colour)
        draw.rectangle((360 + dx, 320, 600 + dx, 430), fill=(250, 246, 230))
    else:
        draw.rectangle((280 + dx, 220, 680 + dx, 560), fill=colour, outline=shade, width=6)
        draw.rectangle((280 + dx, 330, 680 + dx, 400), fill=(230, 200, 120))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _pdf(product: Product, title: str, language: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    page.setTitle(f"{title} {product.sku}")
    page.setFont("Helvetica-Bold", 18)
    page.drawString(56, 780, title)
    page.setFont("Helvetica", 12)
    name = product.name_en if language == "en" else product.name_fr
    for line, text in enumerate([name, f"SKU {product.sku}", product.brand,
                                 product.description_en if language == "en"
                                 else product.description_fr]):
        page.drawString(56, 740 - line * 20, text[:90])
    page.showPage()
    page.save()
    return out.getvalue()
