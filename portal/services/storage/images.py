"""Images as pages use them: turned upright, converted to sRGB, stripped of every piece of
metadata (EXIF with its GPS position, XMP, comments: nothing of the original file is kept but
its pixels), and encoded at the widths the pages ask for, in WebP with a JPEG fallback."""

import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

# Widths the pages ask for (srcset): a list thumbnail, the product page on a phone, a tablet
# or a phone at 2x. An image narrower than the largest is kept at its own width, never enlarged.
WIDTHS = (160, 480, 960)
FORMATS = ("webp", "jpeg")
_SAVE = {
    "webp": {"format": "WEBP", "quality": 78, "method": 4},
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Variant:
    format: str  # "webp" or "jpeg"
    width: int
    height: int
    data: bytes

    @property
    def content_type(self) -> str:
        return f"image/{self.format}"


def upright_rgb(image: Image.Image) -> Image.Image:
    """The pixels only, the way the camera held them, in sRGB, on white where transparent."""
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    if icc:
        try:
            image = ImageCms.profileToProfile(
                image.convert("RGB") if image.mode not in ("RGB", "RGBA") else image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB,
                outputMode="RGBA" if image.mode == "RGBA" else "RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the pixels as they are
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    # A fresh image: no info dict (EXIF, XMP, comments) travels to the encoder.
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"))
    return clean


def target_widths(width: int, widths: tuple[int, ...] = WIDTHS) -> list[int]:
    """The widths to encode an image of this width at: those it covers, plus its own when it is
    narrower than the largest (so the page always has its best)."""
    chosen = [w for w in widths if w < width]
    if width <= max(widths):
        chosen.append(width)
    else:
        chosen.append(max(widths))
    return sorted(set(chosen))


def variants(image: Image.Image, widths: tuple[int, ...] = WIDTHS) -> list[Variant]:
    """Every width in every format, from an image already made upright and clean."""
    found = []
    for width in target_widths(image.width, widths):
        height = max(1, round(image.height * width / image.width))
        sized = image if width == image.width else image.resize((width, height),
                                                                Image.Resampling.LANCZOS)
        for fmt in FORMATS:
            out = io.BytesIO()
            sized.save(out, **_SAVE[fmt])
            found.append(Variant(fmt, width, height, out.getvalue()))
    return found


def reencoded(image: Image.Image, fmt: str) -> bytes:
    """The image alone in its own format (PNG keeps its transparency), metadata dropped."""
    out = io.BytesIO()
    if fmt == "png":
        image = ImageOps.exif_transpose(image)
        clean = Image.new(image.mode if image.mode in ("RGB", "RGBA", "L") else "RGBA",
                          image.size)
        clean.paste(image if image.mode == clean.mode else image.convert(clean.mode))
        clean.save(out, format="PNG", optimize=True)
    else:
        upright_rgb(image).save(out, **_SAVE["webp" if fmt == "webp" else "jpeg"])
    return out.getvalue()
