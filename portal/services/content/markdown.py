"""The seller's pages are written in a safe subset of Markdown: headings, paragraphs, lists,
emphasis, links, tables, quotes. Raw HTML is shown as text, never passed through; a link may
go to http or https, mailto, tel or an address of the portal itself, nothing else (no
javascript:, data:, vbscript:). Images are not part of the subset (a page is text; product
photos live on products)."""

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

_SAFE_LINK = re.compile(r"^(https?://|mailto:|tel:\+?[0-9]|/(?!/)|#|[a-z0-9][a-z0-9._/-]*$)", re.I)
# Controls and spaces a browser strips before reading a scheme ("java\tscript:").
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def safe_link(url: str) -> bool:
    return bool(_SAFE_LINK.match(_INVISIBLE.sub("", url or "")))


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable("image")
    md.validateLink = safe_link
    return md


_MD = _parser()


def render(text: str) -> Markup:
    """HTML for a page body, from the subset only (what is outside it shows as typed)."""
    return Markup(_MD.render(text or ""))  # noqa: S704 - markdown-it escapes all but its own tags
