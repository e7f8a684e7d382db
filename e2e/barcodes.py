"""Test pictures of barcodes, drawn here: an EAN-13 symbol (the standard's encoding tables) and
a YUV4MPEG2 video of it that Chromium's fake camera plays (--use-file-for-fake-video-capture).
"""

from pathlib import Path

from PIL import Image, ImageDraw

L_CODES = ("0001101", "0011001", "0010011", "0111101", "0100011",
           "0110001", "0101111", "0111011", "0110111", "0001011")
# The first digit is not drawn: it picks which of the left six digits use the G set.
PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
          "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


def _r(code: str) -> str:
    return code.translate(str.maketrans("01", "10"))


def ean13_modules(digits: str) -> str:
    """The 95 modules (1 = bar) of an EAN-13 symbol."""
    assert len(digits) == 13 and digits.isdigit()
    left = "".join(L_CODES[int(d)] if kind == "L" else _r(L_CODES[int(d)])[::-1]
                   for d, kind in zip(digits[1:7], PARITY[int(digits[0])], strict=True))
    right = "".join(_r(L_CODES[int(d)]) for d in digits[7:])
    return "101" + left + "01010" + right + "101"


def ean13_picture(digits: str, width: int = 640, height: int = 480,
                  module: int = 4) -> Image.Image:
    """The symbol centred on white, quiet zones included, in greyscale."""
    picture = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(picture)
    modules = ean13_modules(digits)
    x0 = (width - len(modules) * module) // 2
    top, bottom = height // 5, height * 4 // 5
    for i, bit in enumerate(modules):
        if bit == "1":
            draw.rectangle([x0 + i * module, top, x0 + (i + 1) * module - 1, bottom], fill=0)
    return picture


def write_y4m(picture: Image.Image, path: Path, frames: int = 30) -> Path:
    """A still picture as a short 4:2:0 video (Chromium loops it)."""
    grey = picture.convert("L")
    width, height = grey.size
    luma = grey.tobytes()
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path
