"""Just enough HTML reading for the bench: forms and their fields, tokens, asset URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

CSRF_META = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PLACEHOLDER_MARKERS = ("<h1>Coming soon</h1>", "<h1>Bientôt disponible</h1>")


def csrf_token(html: str) -> str:
    found = CSRF_META.search(html) or CSRF_INPUT.search(html)
    return found.group(1) if found else ""


def is_placeholder(html: str) -> bool:
    return any(marker in html for marker in PLACEHOLDER_MARKERS)


@dataclass
class Button:
    name: str = ""
    value: str = ""
    formaction: str = ""
    hx_post: str = ""
    text: str = ""
    attrs: dict = field(default_factory=dict)


@dataclass
class Form:
    attrs: dict
    fields: dict = field(default_factory=dict)  # name -> default value (hidden, text...)
    textareas: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.attrs.get("hx-post") or self.attrs.get("action") or ""

    def button_matching(self, words) -> Button | None:
        for button in self.buttons:
            haystack = " ".join((button.name, button.value, button.formaction, button.hx_post,
                                 button.text)).lower()
            if any(w in haystack for w in words):
                return button
        return None


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._button: Button | None = None
        self._select: str | None = None
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag in ("link", "script", "img", "use", "source", "iframe"):
            self.links.append({"tag": tag, **a})
        if tag == "form":
            self._form = Form(a)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button"):
                self._form.buttons.append(Button(a.get("name", ""), a.get("value", ""),
                                                 a.get("formaction", ""), a.get("hx-post", ""),
                                                 a.get("value", ""), a))
                return
            self._form.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._form.textareas.append(a["name"])
            self._form.fields.setdefault(a["name"], "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            if self._select not in self._form.fields or "selected" in a:
                self._form.fields[self._select] = a.get("value", "")
        elif tag == "button":
            self._button = Button(a.get("name", ""), a.get("value", ""), a.get("formaction", ""),
                                  a.get("hx-post", ""), "", a)
            self._form.buttons.append(self._button)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "button":
            self._button = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._button is not None:
            self._button.text += data.strip() + " "


def parse(html: str) -> _FormParser:
    parser = _FormParser()
    parser.feed(html)
    return parser


def forms(html: str) -> list[Form]:
    return parse(html).forms


def subresources(html: str) -> list[str]:
    """URLs a browser fetches to render the page: stylesheets, scripts, images, icons..."""
    found = []
    for link in parse(html).links:
        tag = link["tag"]
        url = ""
        if tag == "link" and any(r in link.get("rel", "").split()
                                 for r in ("stylesheet", "icon", "manifest", "preload",
                                           "modulepreload")):
            url = link.get("href", "")
        elif tag in ("script", "img", "source", "iframe"):
            url = link.get("src", "")
        elif tag == "use":
            url = link.get("href", "").split("#", 1)[0]
        if url and not url.startswith(("data:", "#")) and url not in found:
            found.append(url)
    return found
