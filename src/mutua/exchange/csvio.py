"""Reading spreadsheets saved as CSV, whatever program saved them.

Excel, LibreOffice, Google Sheets and Airtable disagree on encodings (UTF-8 with or
without a byte-order mark, Windows-1252, UTF-16 for "Unicode text") and on delimiters
(comma, semicolon where the comma is the decimal sign, tab). This module guesses both,
can be told either, and keeps each row's line number for error messages.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

DELIMITERS = ",;\t|"
_SNIFF_BYTES = 64 * 1024


# A cell starting with one of these is read by Excel, LibreOffice and Google Sheets as a
# formula (=HYPERLINK(...) in an anonymous ask's text would become a live link), and a
# tab or carriage return lets one cell spill into the next.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A phone number ("+44 20 7946 0000") or a negative number starts like a formula but
# cannot call anything: it is left as it is, so phone numbers stay readable.
_PLAIN_NUMBER = re.compile(r"[+-]?[\d ().-]+")


def safe_cell(text: str) -> str:
    """`text` as a spreadsheet shows it rather than runs it: a leading apostrophe, which
    spreadsheets take to mean "text" and do not display, before any formula start."""
    if not text.startswith(_FORMULA_STARTS) or _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


class TableError(ValueError):
    """The file cannot be read as a table; the message says why, for a person."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    # (line number in the file where the row starts, its cells)
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of the file and the encoding it was read with."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise TableError(_("Unknown encoding: %(e)s") % {"e": encoding}) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise TableError(
                _("The file is not in %(e)s (byte %(at)d).") % {"e": encoding, "at": exc.start}
            ) from None
    # A byte-order mark says the encoding outright (Excel's "CSV UTF-8" and "Unicode text").
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return decode(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: almost always a Windows spreadsheet (cp1252 is latin-1 plus “smart”
    # quotes and €); latin-1 decodes any byte at all, for the five cp1252 leaves out.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    sample = text[:_SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column, or too few rows to be sure: count in the header line.
        first_line = sample.split("\n", 1)[0]
        counts = {d: first_line.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def read_table(data: bytes, *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """The header and the rows of a CSV file; blank rows are skipped."""
    text, used = decode(data, encoding)
    if not text.strip():
        raise TableError(_("The file is empty."))
    if delimiter is not None and len(delimiter) != 1:
        raise TableError(_("The delimiter must be one character, such as ; or a tab."))
    chosen = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen)
    rows: list[tuple[int, list[str]]] = []
    headers: list[str] | None = None
    last_line = 0
    try:
        for cells in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers = [cell.strip() for cell in cells]
                continue
            rows.append((start, cells))
    except csv.Error as exc:
        raise TableError(
            _("Line %(line)d cannot be read: %(why)s") % {"line": last_line + 1, "why": exc}
        ) from None
    if headers is None:
        raise TableError(_("The file is empty."))
    return Table(headers=headers, rows=rows, encoding=used, delimiter=chosen)
