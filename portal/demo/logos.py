"""Logos drawn for the demo's storefronts at seed time with Pillow (shapes and the font Pillow
ships): our own, nothing downloaded. Stored through the back office's own path
(`storefronts.set_logo`), so the demo's logo went through the checks a seller's would."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from portal.models import Storefront
from portal.services import storefronts

YELLOW, INK = (255, 176, 0), (29, 29, 27)


def direct_chantier() -> bytes:
    """A hard hat and "DIRECT CHANTIER" in dark ink on safety yellow, drawn 96 px high (3x the
    header's 32 px), as a PNG."""
    height, font = 96, ImageFont.load_default(size=40)
    text = "DIRECT CHANTIER"
    left, _top, right, _bottom = font.getbbox(text, stroke_width=1)
    width = 96 + (right - left) + 24
    image = Image.new("RGB", (width, height), YELLOW)
    draw = ImageDraw.Draw(image)
    # The hat: a dome, its ridge and its brim.
    draw.pieslice((20, 22, 76, 78), 180, 360, fill=INK)
    draw.rectangle((45, 18, 51, 50), fill=YELLOW)
    draw.rounded_rectangle((12, 50, 84, 60), radius=4, fill=INK)
    draw.rectangle((20, 66, 76, 70), fill=INK)  # a line of ground under it
    draw.text((96, height // 2), text, font=font, fill=INK, anchor="lm", stroke_width=1,
              stroke_fill=INK)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def give_logo(front: Storefront) -> None:
    storefronts.set_logo(front, direct_chantier(), "image/png")
