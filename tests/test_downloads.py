"""Every download in the permission world, opened the way people open them: each CSV starts with a
byte-order mark and has readable headings; each XLSX sheet has a frozen, filterable header, typed cells and
columns wide enough for what they hold; each PDF is tagged (PDF/UA), titled, in English and on the
district's paper. File names keep their accents (RFC 6266)."""

import io
import itertools

import pypdf
import pytest

from tests.download_checks import csv_rows, xlsx_book
from tests.permission_world import URL_ARGUMENTS, sign_in_as
from tests.test_permission_matrix import MATRIX
from tests.world_pages import readers
from walkthrough.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LETTER = (612, 792)
A4 = (595, 842)
CHART_BLUE = b"0.113725 0.352941 0.52549 rg"  # the bars' fill, #1d5a86
# Files people uploaded (growth plans, lesson plans) come back as they were; only what the app writes is checked.
UPLOADED = {"cohorts.growth_plan", "coverage.plan_file"}


def _every_url(app, endpoint: str, ids: dict) -> list[str]:
    """The endpoint's address for each file kind it offers (csv, xlsx, pdf), with the world's ids."""
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    fixed = {name: ids[URL_ARGUMENTS[name]] for name in rule._converters if name in URL_ARGUMENTS}
    choices = {name: sorted(c.items) for name, c in rule._converters.items() if name not in URL_ARGUMENTS}
    urls = []
    for combination in itertools.product(*choices.values()):
        values = fixed | dict(zip(choices, combination, strict=True))
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


def _downloads(app, world) -> dict[str, list[tuple[str, object]]]:
    found: dict[str, list] = {"text/csv": [], XLSX: [], "application/pdf": []}
    for endpoint, method in sorted(MATRIX):
        if method != "GET" or endpoint in UPLOADED:
            continue
        kind = readers(endpoint)[-1]
        client = app.test_client()
        if kind != "anonymous":
            sign_in_as(client, world.people[kind])
        for url in _every_url(app, endpoint, world.ids):
            response = client.get(url)
            if response.status_code == 200 and response.mimetype in found:
                response.get_data()
                found[response.mimetype].append((url, response))
            response.close()
            db.session.expire_all()
    return found


def check_pdf(data: bytes, paper=LETTER) -> pypdf.PdfReader:
    reader = pypdf.PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged for screen readers
    assert root["/Lang"] == "en" and reader.metadata.title
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == paper
    return reader


def test_every_download_opens_as_people_expect(shared_app, same_world):
    found = _downloads(shared_app, same_world)
    assert len(found["text/csv"]) >= 8 and len(found[XLSX]) >= 5 and len(found["application/pdf"]) >= 4
    for url, response in found["text/csv"]:
        heading, *rows = csv_rows(response)
        assert all(h and (h[0].isupper() or h[0].isdigit()) and "_" not in h for h in heading), (url, heading)
        assert not any("Column(" in cell or "Kind." in cell for row in rows for cell in row), url
    for url, response in found[XLSX]:
        book = xlsx_book(response)
        for sheet in book.worksheets:
            heading = [cell.value for cell in sheet[1]]
            assert all(h and h[0].isupper() and "_" not in h for h in heading), (url, heading)
            assert sheet["A1"].font.b, url
    for _url, response in found["application/pdf"]:
        check_pdf(response.get_data())
    [summary] = [r for url, r in found["application/pdf"] if url.startswith("/reports/summary.pdf")]
    assert CHART_BLUE in b"".join(p.get_contents().get_data() for p in pypdf.PdfReader(io.BytesIO(summary.data)).pages)


@pytest.mark.parametrize(
    ("zone", "setting", "paper"),
    [("America/Chicago", None, LETTER), ("Europe/Dublin", None, A4), ("America/Chicago", "A4", A4)],
)
def test_pdfs_are_on_the_districts_paper(app, make_school, make_user, auth, client, zone, setting, paper):
    from walkthrough.auth.models import Role

    school = make_school("Escuela Zoë", timezone=zone)
    teacher = make_user(Role.TEACHER, school=school, name="Zoë Ñúñez")
    db.session.commit()
    app.config["PAPER_SIZE"] = setting
    auth.login(teacher)
    response = client.get("/reports/my-year.pdf")
    check_pdf(response.data, paper)
    # The real name for browsers that read RFC 6266's filename*, and an ASCII spelling for the rest.
    disposition = response.headers["Content-Disposition"]
    assert 'filename="my-year-' in disposition and "-Zoe-Nunez.pdf" in disposition
    assert "filename*=UTF-8''my-year-" in disposition and "Zo%C3%AB%20%C3%91%C3%BA%C3%B1ez.pdf" in disposition


def test_each_kind_of_column_has_its_own_format():
    from datetime import date, datetime
    from decimal import Decimal

    from walkthrough.sheets import Kind, csv_text, number_format

    assert number_format(3.25, Kind.DECIMAL) == "0.0" and number_format(3.25, Kind.HOURS) == "#,##0.00"
    assert number_format(77.8, Kind.PERCENT) == "0.0%" and number_format(12, Kind.AUTO) == "#,##0"
    assert number_format(Decimal("7.50"), Kind.HOURS) == "#,##0.00" and number_format("12", Kind.AUTO) is None
    assert number_format(date(2026, 9, 1), Kind.MONTH) == "mmm yyyy"
    assert number_format(datetime(2026, 9, 1, 8, 5), Kind.AUTO) == "d mmm yyyy hh:mm"
    assert csv_text(date(2026, 9, 1), Kind.MONTH) == "2026-09" and csv_text(date(2026, 9, 1)) == "2026-09-01"
    assert csv_text(True) == "Yes" and csv_text(None) == "" and csv_text(" =1+1") == "' =1+1"


def test_a_district_summary_is_on_the_paper_of_the_districts_schools(app, make_school, make_user, auth, client):
    from walkthrough.auth.models import Role

    make_school("Scoil Bhríde", timezone="Europe/Dublin")
    district_admin = make_user(Role.ADMIN)  # no school of their own
    db.session.commit()
    auth.login(district_admin)
    check_pdf(client.get("/reports/summary.pdf").data, A4)
