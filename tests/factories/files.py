"""Files for upload tests: real images and PDFs drawn here, and hostile ones."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def jpeg(width=1200, height=900, color=(200, 80, 40), gps=True) -> bytes:
    """A photo with the EXIF a phone writes (camera, GPS position)."""
    image = Image.new("RGB", (width, height), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    if gps:
        exif[0x8825] = {1: "N", 2: (45.0, 45.0, 12.0), 3: "E", 4: (4.0, 50.0, 1.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret note")
    return out.getvalue()


def png(width=300, height=200, transparent=True) -> bytes:
    image = Image.new("RGBA" if transparent else "RGB", (width, height), (10, 120, 200, 128))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def pdf(text="Fiche technique", pages=1) -> bytes:
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=A4)
    for number in range(pages):
        drawing.drawString(72, 760, f"{text} {number + 1}")
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def large_pdf(size: int) -> bytes:
    """A well-formed one-page PDF of about `size` bytes (its content stream carries a long
    comment), for the size limits: every pypdf version the project allows reads it."""
    content = b"% " + b"x" * size + b"\nBT /F1 12 Tf 72 760 Td (Fiche) Tj ET\n"
    objects = [b"<</Type/Catalog/Pages 2 0 R>>",
               b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
               b"<</Length %d>>\nstream\n" % len(content) + content + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer<</Root 1 0 R/Size %d>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_with_javascript() -> bytes:
    """A page that runs a script when opened (the document's /OpenAction)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('hello');")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SVG_WITH_SCRIPT = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
                   b'<script>alert(document.cookie)</script></svg>')
HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
# A JPEG's first bytes, then a page: a "polyglot" that sniffing browsers may render as HTML.
FAKE_JPEG = b"\xff\xd8\xff\xe0" + HTML_PAGE


def pdf_with_hidden_javascript() -> bytes:
    """A link annotation whose action is a script, its names #-escaped (/J#53 is /JS)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>",
               b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
               (b"<</Type/Annot/Subtype/Link/Rect[0 0 595 842]"
                b"/A<</S/J#61va#53cript/J#53(app.alert\\(1\\))>>>>")]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer<</Root 1 0 R/Size %d>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def multipart(fields: dict[str, str], data: bytes, name: str, content_type: str
              ) -> tuple[bytes, str]:
    """A form with one file, as (body, content type). Built here: werkzeug's test builder
    spools a large body to a temporary file it leaves open when the app refuses to read it."""
    boundary = "portal-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
             .encode() for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                 + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
