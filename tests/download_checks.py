"""Reading downloads back the way Excel and LibreOffice would, with the checks every download must pass:
a CSV starts with a byte-order mark (so Excel on Windows reads it as UTF-8); an XLSX sheet has a frozen,
filterable header and columns at least as wide as their headings and values."""

import csv
import io

import openpyxl
from openpyxl.utils import get_column_letter


def csv_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff"), "no byte-order mark: Excel on Windows would read the CSV as ANSI"
    return list(csv.reader(io.StringIO(body[1:])))


def xlsx_book(response) -> openpyxl.Workbook:
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    response.close()
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        # A file keeps neighbouring columns of one width as one range (<col min="15" max="16">).
        widths = {n: d.width for d in sheet.column_dimensions.values() for n in range(d.min, d.max + 1)}
        heading_lines = sheet.row_dimensions[1].height / 15
        for heading, *cells in sheet.iter_cols():
            letter = get_column_letter(heading.column)
            width = widths.get(heading.column, 0)
            # The heading may wrap (its row is tall enough); no word of it, and no value, is cut off.
            assert width * int(heading_lines) >= len(heading.value), (sheet.title, letter, width, heading.value)
            assert width >= max(len(word) for word in heading.value.split()), (sheet.title, letter, heading.value)
            longest = max((len(c.value) for c in cells if isinstance(c.value, str)), default=0)
            assert width >= min(longest, 60), (sheet.title, letter, width, longest)
    return book
