"""Product media: one image, document or video link of a known SKU per row.

`file` names the file: a name inside the ZIP sent with the CSV (preferred), or an https URL
the worker downloads within strict limits (`storage.fetch`: public addresses only, each
redirect checked, timeout, size cap). A video's `file` is the link itself (not fetched).
`kind` is `image`, `video` or a document kind (datasheet, safety_sheet, ...); a document
needs its `language`. `title_fr`/`title_en` are an image's alt texts, a video's titles, or a
document's title (the cell of its language).

The dry run reads and checks every file as the back office's upload does (a real image or
PDF, under its size limit, no script); the commit stores them through the same services
(`content.add_image`, `add_document`, `add_video`), so what one refuses the other refuses,
and a file refused then fails the whole import: nothing is stored half-way.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.models import DocumentKind, Product
from portal.services import DomainError, content, storage
from portal.services.csv_import import cells
from portal.services.csv_import.base import Checker, RowCheck, RowError, Writer, also_on
from portal.services.csv_import.parse import ImportRefused, Row, Spec
from portal.services.text import clean_line

SPEC = Spec(columns=("sku", "kind", "file", "language", "title_fr", "title_en"),
            required=frozenset({"sku", "kind", "file"}))
DOCUMENT_KINDS = tuple(k.value for k in DocumentKind)
MAX_MEMBERS = 2000
MAX_ARCHIVE_BYTES = 50_000_000


class Archive:
    """The ZIP sent with the CSV: its files by name, each read with the size limit of its
    kind (a member that inflates past it is refused without being read in full)."""

    def __init__(self, raw: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
            members = [i for i in self.zip.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ImportRefused(_("The files must come as a ZIP archive; this one cannot be "
                                  "read."), field="archive") from None
        if len(members) > MAX_MEMBERS:
            raise ImportRefused(_("The ZIP archive holds more than %(n)s files.",
                                  n=MAX_MEMBERS), field="archive")
        self.members = {i.filename: i for i in members}

    def read(self, name: str, limit: int) -> bytes:
        info = self.members.get(name)
        if info is None:
            raise DomainError(_("no file of this name in the ZIP archive"))
        if info.flag_bits & 0x1:
            raise DomainError(_("this file of the ZIP archive is encrypted"))
        if info.file_size > limit:
            raise DomainError(_("the file is larger than %(n)s MB", n=f"{limit / 1_000_000:g}"))
        try:
            with self.zip.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
            raise DomainError(_("this file of the ZIP archive cannot be read")) from None
        if len(data) > limit:
            raise DomainError(_("the file is larger than %(n)s MB", n=f"{limit / 1_000_000:g}"))
        return data


def check_archive(raw: bytes | None) -> None:
    if raw:
        Archive(raw)


@dataclass(frozen=True)
class MediaPlan:
    line: int
    product_id: int
    kind: str
    file: str
    language: str
    title_fr: str
    title_en: str


def _claim(kind: str) -> str:
    return "" if kind == "image" else "application/pdf"


class FileSource:
    """Where a row's file comes from: the job's ZIP archive or an https URL."""

    def __init__(self, archive: bytes | None):
        self.archive = Archive(archive) if archive else None

    def read(self, reference: str, kind: str) -> bytes:
        limit = storage.upload_limit(_claim(kind) or "image/jpeg")
        if reference.lower().startswith(("https://", "http://")):
            return storage.fetch(reference, limit).data
        if self.archive is None:
            raise DomainError(_("send the ZIP archive of the files with the CSV, or give an "
                                "https URL"))
        return self.archive.read(reference, limit)


class MediaChecker(Checker):
    key_columns = ("sku", "kind", "file", "language")

    def __init__(self):
        super().__init__()
        self.seen: dict[tuple[str, ...], int] = {}
        self.source = FileSource(None)
        self.read_files = True  # the dry run reads every file; the commit's writer does

    def attach(self, archive: bytes | None, committing: bool) -> None:
        self.source, self.read_files = FileSource(archive), not committing

    @staticmethod
    def _key(row: Row) -> tuple[str, ...]:
        c = row.cells
        return (c.get("sku", "").upper(), c.get("kind", "").strip().lower(),
                c.get("file", "").strip(), c.get("language", "").strip().lower())

    def remember(self, row: Row) -> None:
        self.seen.setdefault(self._key(row), row.line)

    def check(self, chunk: list[Row]):
        skus = {r.cells.get("sku", "").upper() for r in chunk} - {""}
        products = dict(db.session.execute(
            select(Product.sku, Product.id).where(Product.sku.in_(skus))).all())
        errors, plans, counts = [], [], Counter()
        for row in chunk:
            c = RowCheck(row)
            plan = self._check_row(c, products)
            if self._key(row) in self.seen:
                c.fail("file", also_on(self.seen[self._key(row)]))
            self.remember(row)
            errors.extend(c.errors)
            if c.ok and plan is not None:
                plans.append(plan)
                counts["videos" if plan.kind == "video" else
                       "images" if plan.kind == "image" else "documents"] += 1
        return errors, plans, counts

    def _check_row(self, c: RowCheck, products) -> MediaPlan | None:
        sku = c.need("sku", cells.sku)
        if sku and sku not in products:
            c.fail("sku", _("unknown SKU"))
        kind = c.raw("kind").strip().lower()
        if kind not in ("image", "video", *DOCUMENT_KINDS):
            c.fail("kind", _("unknown kind: image, video or %(kinds)s",
                             kinds=", ".join(DOCUMENT_KINDS)))
        language = c.raw("language").strip().lower()
        if kind in DOCUMENT_KINDS and language not in content.LANGUAGES:
            c.fail("language", _("a document's language is fr or en"))
        titles = [clean_line(c.raw(column)) for column in ("title_fr", "title_en")]
        for column, title in zip(("title_fr", "title_en"), titles, strict=True):
            if len(title) > 200:
                c.fail(column, _("too long (at most %(n)s characters)", n=200))
        reference = c.raw("file").strip()
        if not reference:
            c.fail("file", _("required"))
        elif c.ok:
            self._check_file(c, kind, reference)
        if not c.ok:
            return None
        return MediaPlan(c.row.line, products[sku], kind, reference, language, *titles)

    def _check_file(self, c: RowCheck, kind: str, reference: str) -> None:
        try:
            if kind == "video":
                content.check_video_url(reference)
                return
            if reference.lower().startswith(("https://", "http://")):
                storage.check_url(reference)
            if self.read_files:
                storage.check(self.source.read(reference, kind), _claim(kind))
        except DomainError as exc:
            c.fail("file", str(exc))


class MediaWriter(Writer):
    def __init__(self, actor, now):
        self.actor = actor
        self.source = FileSource(None)
        self.done = Counter()

    def attach(self, archive: bytes | None, committing: bool) -> None:
        self.source = FileSource(archive)

    def write(self, plans: list[MediaPlan]) -> None:
        products = {p.id: p for p in db.session.scalars(select(Product).where(
            Product.id.in_({plan.product_id for plan in plans})))}
        for plan in plans:
            try:
                self._write(products[plan.product_id], plan)
            except DomainError as exc:
                from portal.services.csv_import.jobs import ImportFailed

                raise ImportFailed(_("A file was refused: nothing was imported."),
                                   [RowError(plan.line, "file", str(exc))]) from None

    def _write(self, product: Product, plan: MediaPlan) -> None:
        if plan.kind == "video":
            content.add_video(product, plan.file, plan.title_fr, plan.title_en)
            self.done["videos"] += 1
            return
        data = self.source.read(plan.file, plan.kind)
        if plan.kind == "image":
            content.add_image(product, data, "", plan.title_fr, plan.title_en)
            self.done["images"] += 1
            return
        title = (plan.title_en if plan.language == "en" else plan.title_fr) or (
            plan.title_fr or plan.title_en)
        content.add_document(product, data, "application/pdf", plan.kind, plan.language, title)
        self.done["documents"] += 1

    def finish(self) -> dict:
        return {key: self.done[key] for key in ("images", "documents", "videos")}
