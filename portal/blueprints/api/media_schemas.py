"""Shapes of a product's media in the API: multipart uploads (the file and its fields) and
what a product's images, documents and video links look like."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from portal.blueprints.api.schemas import Strict

# An uploaded file: its type is read from its bytes, whatever the part's Content-Type says.
Binary = Annotated[Any, WithJsonSchema({"type": "string", "format": "binary"})]
DocumentKindName = Literal["datasheet", "safety_sheet", "performance", "certificate",
                           "installation"]


class Upload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: Binary = Field(description="A JPEG, PNG or WebP image, or a PDF without scripts.")

    @model_validator(mode="before")
    @classmethod
    def _file_names(cls, data):
        """The form's files by name only: the view reads the bytes, and a refusal's echo of
        the input stays JSON."""
        if isinstance(data, dict):
            return {k: (getattr(v, "filename", "") or "file") if hasattr(v, "stream") else v
                    for k, v in data.items()}
        return data


class ImageUpload(Upload):
    alt_fr: str = Field(default="", max_length=200, description="Alt text; empty: the name.")
    alt_en: str = Field(default="", max_length=200)


class DocumentUpload(Upload):
    kind: DocumentKindName
    language: Literal["fr", "en"]
    title: str = Field(default="", max_length=200)


class VideoIn(Strict):
    url: str = Field(max_length=500, description="An https link (shown as a link).")
    title_fr: str = Field(default="", max_length=200)
    title_en: str = Field(default="", max_length=200)


class Variant(BaseModel):
    format: str
    width: int
    url: str


class ImageOut(BaseModel):
    id: int
    position: int
    alt_fr: str
    alt_en: str
    width: int
    height: int
    variants: list[Variant]


class DocumentOut(BaseModel):
    id: int
    kind: str
    language: str
    title: str
    size_bytes: int
    url: str


class VideoOut(BaseModel):
    id: int
    url: str
    title_fr: str
    title_en: str


class ProductMediaOut(BaseModel):
    sku: str
    images: list[ImageOut]
    documents: list[DocumentOut]
    videos: list[VideoOut]
