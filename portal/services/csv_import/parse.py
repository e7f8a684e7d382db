"""Reading an uploaded CSV strictly: encoding, separator, header, rows with line numbers.

Pure functions on bytes and text. Anything that makes the whole file unusable raises
`ImportRefused` with a message that names the problem; row-level problems are for `kinds`.

Encoding: UTF-8, with or without a BOM. A file that is not UTF-8 is refused; when it reads
as Windows-1252 (Excel's default "CSV" on Windows) the message says so and how to re-save it,
because guessing would silently store wrong letters in names and addresses.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _

from portal.services import DomainError

MAX_ROWS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DELIMITERS = (";", ",", "\t")
# Column names that would set what an import must never set: ids, roles, statuses, secrets.
FORBIDDEN_NAMES = frozenset({
    "id", "status", "password", "password_hash", "role", "session_version", "disabled",
    "is_staff", "is_base", "active", "token", "search_text",
})


class ImportRefused(DomainError):
    """The whole file is refused; nothing was read into the database."""


@dataclass(frozen=True)
class Spec:
    """The columns a kind of import accepts, and those it requires."""

    columns: tuple[str, ...]
    required: frozenset[str]


@dataclass(frozen=True)
class Table:
    text: str
    delimiter: str
    columns: tuple[str, ...]
    row_count: int


def _utf16_without_bom(raw: bytes) -> bool:
    """Latin text saved as UTF-16 without a byte order mark: every other byte is a zero."""
    sample = raw[:4000]
    half = len(sample) // 2
    return half >= 4 and max(sample[0::2].count(0), sample[1::2].count(0)) >= 0.9 * half


def decode(raw: bytes) -> str:
    if not raw or not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportRefused(_("The file is empty."))
    if raw[:4] == b"PK\x03\x04":
        raise ImportRefused(_("This is a spreadsheet workbook (.xlsx), not a CSV file. In Excel, use “Save as” and choose “CSV UTF-8”."))  # noqa: E501
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(raw):
        raise ImportRefused(_("The file is UTF-16 text (Excel's “Unicode text”). Re-save it as UTF-8 (in Excel: “CSV UTF-8”) and send it again."))  # noqa: E501
    if b"\x00" in raw:
        raise ImportRefused(_("This is not a CSV file: it contains binary data."))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportRefused(_(
                "The file is not UTF-8 text (line %(line)s cannot be read). Re-save it as UTF-8.",
                line=line)) from None
        raise ImportRefused(_(
            "The file is not UTF-8: it looks like Windows-1252 (line %(line)s). Re-save it as UTF-8 (in Excel: “CSV UTF-8”) and send it again.",  # noqa: E501
            line=line)) from None
    head = text.lstrip()[:20].lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "<head", "<body")):
        raise ImportRefused(_("This is a web page, not a CSV file."))
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise ImportRefused(_("Line %(line)s contains a control character: this is not a CSV file.",
                              line=line))
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    return text


def normalize_name(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ; , and tab."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    counts = sorted(((first.count(d), -i, d) for i, d in enumerate(DELIMITERS)), reverse=True)
    if counts[0][0] == 0:
        raise ImportRefused(_("The first line must name the columns, separated by a comma, a semicolon or a tab; no separator was found."))  # noqa: E501
    return counts[0][2]


def _reader(text: str, delimiter: str):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


def _some(names: list[str], shown: int = 10) -> str:
    """Names for a message: the first few (a header of 100,000 columns is not listed)."""
    return ", ".join(names[:shown]) + (" …" if len(names) > shown else "")


def check_header(cells: list[str], spec: Spec) -> tuple[str, ...]:
    if any(d in cell for cell in cells for d in DELIMITERS):
        raise ImportRefused(_("The first line mixes separators: use only one of ; , or tab between the column names."))  # noqa: E501
    names = [normalize_name(c) for c in cells]
    while names and not names[-1]:
        names.pop()  # spreadsheets often end every line with an empty cell
    if not names:
        raise ImportRefused(_("The first line must name the columns."))
    if "" in names:
        raise ImportRefused(_("Column %(n)s of the first line has no name.",
                              n=names.index("") + 1))
    seen, duplicates = set(), []
    for name in names:
        if name in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(name)
    if duplicates:
        raise ImportRefused(_("These columns appear twice: %(names)s.",
                              names=_some(duplicates)))
    unknown = [n for n in names if n not in spec.columns]
    forbidden = [n for n in unknown if n in FORBIDDEN_NAMES or n.endswith("_id")
                 or "password" in n]
    if forbidden:
        raise ImportRefused(_("These columns cannot be imported: %(names)s (ids, roles, statuses and passwords are never set from a file).",  # noqa: E501
                              names=_some(forbidden)))
    if unknown:
        raise ImportRefused(_("Unknown columns: %(names)s. Expected columns: %(expected)s.",
                              names=_some(unknown), expected=", ".join(spec.columns)))
    missing = [n for n in spec.columns if n in spec.required and n not in names]
    if missing:
        raise ImportRefused(_("Required columns are missing: %(names)s.",
                              names=", ".join(missing)))
    return tuple(names)


def open_table(text: str, spec: Spec, max_rows: int = MAX_ROWS) -> Table:
    """Check the header and count the rows (refusing more than `max_rows`)."""
    delimiter = sniff_delimiter(text)
    reader = _reader(text, delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRefused(_("The file is empty."))
        columns = check_header(header, spec)
        count = 0
        for cells in reader:
            if any(c.strip() for c in cells):
                count += 1
                if count > max_rows:
                    raise ImportRefused(_(
                        "The file has more than %(max)s rows. Split it into smaller files.",
                        max=f"{max_rows:,}".replace(",", " ")))
    except csv.Error as exc:
        raise ImportRefused(_("The file cannot be read as CSV near line %(line)s (%(why)s).",
                              line=reader.line_num, why=str(exc))) from None
    if count == 0:
        raise ImportRefused(_("The file has a header but no rows."))
    return Table(text, delimiter, columns, count)


@dataclass(frozen=True)
class Row:
    index: int  # 0-based among data rows, blank lines excluded
    line: int  # line number in the file where the record starts (the header is line 1)
    cells: dict[str, str]
    extra: bool  # more non-empty cells than the header names


def records(table: Table) -> Iterator[tuple[int, int, list[str]]]:
    """(index, line, raw cells) of each non-blank data record: the cheap way through a file."""
    reader = _reader(table.text, table.delimiter)
    next(reader)
    index, previous_end = 0, reader.line_num
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        yield index, start, cells
        index += 1


def make_row(table: Table, index: int, line: int, cells: list[str],
             only: tuple[str, ...] | None = None) -> Row:
    """The record as a Row; with `only`, just those columns (for passes that need keys)."""
    width = len(table.columns)
    if only is None:
        values = {name: (cells[i].strip() if i < len(cells) else "")
                  for i, name in enumerate(table.columns)}
        return Row(index, line, values, any(c.strip() for c in cells[width:]))
    positions = [(table.columns.index(n), n) for n in only if n in table.columns]
    values = {n: (cells[i].strip() if i < len(cells) else "") for i, n in positions}
    return Row(index, line, values, False)


def rows(table: Table) -> Iterator[Row]:
    for index, line, cells in records(table):
        yield make_row(table, index, line, cells)
