"""Download responses in CSV, XLSX and PDF, streamed or spooled so memory stays flat as rows grow.
Columns are described once (walkthrough.sheets) and read the same in every file."""

import csv
import io
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

import xlsxwriter
from flask import Response, abort, stream_with_context

from .sheets import Kind, columns, csv_text, looks_like_formula, number_format, shown_width, titles

Row = Sequence[object]
BYTE_ORDER_MARK = "\ufeff"  # how Excel on Windows knows a CSV is UTF-8 (else "Zoë" reads "ZoÃ«")
WIDEST_COLUMN = 60
HEADING_WIDTH = 14  # characters before a heading wraps
LINE_HEIGHT = 15  # points, for Calibri 11


def heading_width(title: str) -> int:
    return max(min(len(title), HEADING_WIDTH), *(len(word) for word in title.split()), 1)


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266: an ASCII name every browser reads, and the real name (accents and all) for those that can."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-") or "download"
    if plain == filename:  # nothing was changed to spell it in ASCII
        return f'{disposition}; filename="{filename}"'
    return f"{disposition}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": content_disposition(filename), "Cache-Control": "no-store"}


def csv_response(filename: str, header: Row, rows: Iterable[Row]) -> Response:
    kinds = [c.kind for c in columns(header)]

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        buffer.write(BYTE_ORDER_MARK)
        writer = csv.writer(buffer)
        writer.writerow(titles(header))
        for count, row in enumerate(rows, start=1):
            writer.writerow([csv_text(value, kinds[i] if i < len(kinds) else Kind.AUTO) for i, value in enumerate(row)])
            if count % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(lines()), mimetype="text/csv", headers=_attachment(filename))


class _SheetWriter:
    """One worksheet: a bold, frozen, filterable header; typed cells; columns as wide as what they hold."""

    def __init__(self, workbook, name: str, header: Row):
        self.workbook, self.formats = workbook, {}
        self.columns = columns(header)
        self.sheet = workbook.add_worksheet(name[:31])
        # A long heading wraps onto more lines rather than widening its column past what the values need.
        self.widths = [heading_width(c.title) for c in self.columns]
        lines = max((math.ceil(len(c.title) / w) for c, w in zip(self.columns, self.widths, strict=True)), default=1)
        self.sheet.set_row(0, LINE_HEIGHT * lines + 3)
        self.sheet.write_row(0, 0, [c.title for c in self.columns], self._format("header"))
        self.sheet.freeze_panes(1, 0)
        # Printed: across the page, one page wide, the header on every page.
        self.sheet.set_landscape()
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(0)
        self.last_row = 0

    def _format(self, key: str):
        if key not in self.formats:
            properties = {
                "header": {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"},
                "formula-like text": {"quote_prefix": True},
                "long text": {"text_wrap": True, "valign": "top"},
            }.get(key, {"num_format": key})
            if "yyyy" in key:  # dates read from the left, like the text beside them, not flush with numbers
                properties = properties | {"align": "left"}
            self.formats[key] = self.workbook.add_format(properties)
        return self.formats[key]

    def write(self, number: int, row: Row) -> None:
        for col, value in enumerate(row):
            kind = self.columns[col].kind if col < len(self.columns) else Kind.AUTO
            self._cell(number, col, value, kind)
            if col < len(self.widths):
                self.widths[col] = min(max(self.widths[col], shown_width(value, kind)), WIDEST_COLUMN)
        self.last_row = number

    def _cell(self, number: int, col: int, value: object, kind: Kind) -> None:
        if value is None or value == "":
            return
        found = number_format(value, kind)
        if found is None:
            text = csv_text(value) if isinstance(value, bool) else str(value)
            # Written as text, never a formula; Excel's quote prefix keeps it text when edited, with no visible '.
            style = (
                "formula-like text" if looks_like_formula(text) else "long text" if len(text) > WIDEST_COLUMN else None
            )
            self.sheet.write_string(number, col, text, self._format(style) if style else None)
        elif kind is Kind.PERCENT:
            self.sheet.write_number(number, col, float(value) / 100, self._format(found))
        elif hasattr(value, "year"):
            self.sheet.write_datetime(number, col, value, self._format(found))
        else:
            self.sheet.write_number(number, col, float(value), self._format(found))

    def finish(self) -> None:
        for col, width in enumerate(self.widths):
            self.sheet.set_column(col, col, max(width, 6) + 2)
        if self.columns:
            self.sheet.autofilter(0, 0, self.last_row, len(self.columns) - 1)


def xlsx_response(filename: str, sheets: Iterable[tuple[str, Row, Iterable[Row]]]) -> Response:
    """XlsxWriter's constant-memory mode flushes each row to a temporary file as it is written."""
    spool = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(
        spool,
        {
            "constant_memory": True,
            "tmpdir": tempfile.gettempdir(),
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "remove_timezone": True,
        },
    )
    for name, header, rows in sheets:
        writer = _SheetWriter(workbook, name, header)
        for number, row in enumerate(rows, start=1):
            writer.write(number, row)
        writer.finish()
    workbook.close()
    size = spool.seek(0, os.SEEK_END)
    spool.seek(0)
    response = Response(_chunks(spool), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers.update(_attachment(filename))
    response.headers["Content-Length"] = str(size)
    return response


def _chunks(spool) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(64 * 1024):
            yield chunk


def pdf_response(filename: str, html: str) -> Response:
    """The HTML carries its own styles; fetching anything else (a link someone typed) is refused. Tagged
    (PDF/UA) so screen readers can follow headings, tables and reading order."""
    try:
        # Imported here so the rest of the app runs on a machine without Pango; only PDFs need it.
        from weasyprint import HTML, URLFetcher
    except OSError:
        abort(503, description="PDFs need the Pango library on the server; CSV and Excel downloads still work.")
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return Response(pdf, mimetype="application/pdf", headers=_attachment(filename))
