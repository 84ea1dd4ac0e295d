"""Every spreadsheet the app writes goes through one safe writer (no live formulas), and every export is
audited."""

from datetime import time

from sqlalchemy import select

from tests.coverage_setup import visit
from walkthrough.audit.models import AuditEvent
from walkthrough.coverage.models import CoverageRequest
from walkthrough.extensions import db

FORMULA = '=HYPERLINK("https://evil.example","Click")'


def test_coverage_csvs_carry_names_as_text_and_are_audited(school_day, client, auth):
    d = school_day
    d["observer"].name = FORMULA
    d["sub"].name = " +SUM(A1:A9)"
    db.session.commit()
    visit(d, time(9), time(9, 50))
    auth.login(d["admin"])
    query = f"school_id={d['school'].id}&day={d['day'].isoformat()}"
    job = db.session.scalar(select(CoverageRequest))
    assign = {"school_id": d["school"].id, "day": d["day"].isoformat(), "request_id": job.id, "cover_id": d["sub"].id}
    assert client.post("/coverage/assign", data=assign).status_code == 302
    for url in (f"/coverage/board.csv?{query}", f"/coverage/report.csv?{query}&start={d['day']}&end={d['day']}"):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        assert FORMULA.replace('"', '""') in body and f"'{FORMULA}".replace('"', '""') in body
        assert ",=" not in body and ',"=' not in body
    exports = select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
    audited = [e.detail["what"] for e in db.session.scalars(exports)]
    assert audited == ["coverage board", "coverage report"]
