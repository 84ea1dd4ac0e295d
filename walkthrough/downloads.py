"""Download responses in CSV, XLSX and PDF, streamed or spooled so memory stays flat as rows grow."""

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence

import xlsxwriter
from flask import Response, abort, send_file, stream_with_context

Row = Sequence[object]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is kept as text (CSV injection), also when spaces come first."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


def csv_response(filename: str, header: Row, rows: Iterable[Row]) -> Response:
    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for count, row in enumerate(rows, start=1):
            writer.writerow([safe_cell(value) for value in row])
            if count % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(stream_with_context(lines()), mimetype="text/csv", headers=_attachment(filename))


def xlsx_response(filename: str, sheets: Iterable[tuple[str, Row, Iterable[Row]]]) -> Response:
    """XlsxWriter's constant-memory mode flushes each row to a temporary file as it is written."""
    spool = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(spool, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    bold = workbook.add_format({"bold": True})
    for name, header, rows in sheets:
        sheet = workbook.add_worksheet(name[:31])
        sheet.write_row(0, 0, header, bold)
        sheet.freeze_panes(1, 0)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, [safe_cell(value) for value in row])
    workbook.close()
    spool.seek(0, os.SEEK_END)
    size = spool.tell()
    spool.seek(0)
    response = send_file(
        spool,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=filename,
    )
    response.headers["Content-Length"] = str(size)
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_response(filename: str, html: str) -> Response:
    """The HTML carries its own styles; fetching anything else (a link someone typed) is refused."""
    try:
        # Imported here so the rest of the app runs on a machine without Pango; only PDFs need it.
        from weasyprint import HTML, URLFetcher
    except OSError:
        abort(503, description="PDFs need the Pango library on the server; CSV and Excel downloads still work.")
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    return Response(pdf, mimetype="application/pdf", headers=_attachment(filename))
