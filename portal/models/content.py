"""Product content (images, documents, video links, attributes per category) and the seller's
own pages (terms of sale in versions, legal notice, delivery, contact...)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, str_enum, utcnow


class DocumentKind(StrEnum):
    DATASHEET = "datasheet"
    SAFETY_SHEET = "safety_sheet"
    PERFORMANCE = "performance"  # declaration of performance (DoP)
    CERTIFICATE = "certificate"
    INSTALLATION = "installation"


class ProductImage(db.Model):
    """One picture of a product; the first by position is its thumbnail in lists. `image` is
    the storage's StoredImage as JSON (widths, formats, keys)."""

    __tablename__ = "product_images"
    __table_args__ = (Index("ix_product_images_product", "product_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    image: Mapped[dict] = mapped_column(JSON)
    alt_fr: Mapped[str] = mapped_column(String(200), default="")
    alt_en: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def alt(self, lang: str) -> str:
        return self.alt_en if lang == "en" else self.alt_fr


class ProductDocument(db.Model):
    """A PDF of a product, of one kind, in one language (`fr`, `en`)."""

    __tablename__ = "product_documents"
    __table_args__ = (Index("ix_product_documents_product", "product_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    language: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(200), default="")
    key: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProductVideo(db.Model):
    """A link to a video (shown as a link: no third-party player loads with the page)."""

    __tablename__ = "product_videos"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"),
                                            index=True)
    url: Mapped[str] = mapped_column(String(500))
    title_fr: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")

    def title(self, lang: str) -> str:
        return (self.title_en if lang == "en" else self.title_fr) or self.url


class Attribute(db.Model):
    """A searchable attribute of a category's products (fire rating, allergens, origin...)."""

    __tablename__ = "attributes"
    __table_args__ = (UniqueConstraint("category_id", "code", name="uq_attributes_category_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_fr: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    # Offered as a filter of the category's listing.
    filterable: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr


class ProductAttribute(db.Model):
    """A product's value of an attribute, per language; `value_key` (lower-cased, accent-free
    French value) is what a filter matches."""

    __tablename__ = "product_attributes"
    __table_args__ = (Index("ix_product_attributes_filter", "attribute_id", "value_key"),)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"),
                                            primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attributes.id"), primary_key=True)
    value_fr: Mapped[str] = mapped_column(String(200))
    value_en: Mapped[str] = mapped_column(String(200))
    value_key: Mapped[str] = mapped_column(String(200))

    attribute: Mapped[Attribute] = relationship()

    def value(self, lang: str) -> str:
        return self.value_en if lang == "en" else self.value_fr


class SellerPage(db.Model):
    """A page the seller writes (Markdown subset), per language; a draft is seen by staff only.
    The page `terms` is the terms of sale: each publication freezes a TermsVersion."""

    __tablename__ = "seller_pages"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    body_fr: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    # Shown in the footer, in this order (0: not linked).
    footer_position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def title(self, lang: str) -> str:
        return (self.title_en if lang == "en" else self.title_fr) or self.title_fr

    def body(self, lang: str) -> str:
        return (self.body_en if lang == "en" else self.body_fr) or self.body_fr


class TermsVersion(db.Model):
    """The terms of sale as published once, never changed after: an order records the one
    its buyer accepted."""

    __tablename__ = "terms_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title_fr: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    body_fr: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def title(self, lang: str) -> str:
        return (self.title_en if lang == "en" else self.title_fr) or self.title_fr

    def body(self, lang: str) -> str:
        return (self.body_en if lang == "en" else self.body_fr) or self.body_fr


__all__ = ["Attribute", "DocumentKind", "ProductAttribute", "ProductDocument", "ProductImage",
           "ProductVideo", "SellerPage", "TermsVersion"]
