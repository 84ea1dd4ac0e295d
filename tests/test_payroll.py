"""After the day: admins verify what each person covered, and the payroll file for the pay period (CSV and
XLSX) is made from those checks, so its hours equal the verified totals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.download_checks import csv_rows, xlsx_book
from walkthrough.audit.models import AuditEvent
from walkthrough.coverage import payroll, reasons
from walkthrough.coverage import services as coverage
from walkthrough.coverage.models import CoverVerification
from walkthrough.extensions import db
from walkthrough.rules import RuleViolation


@pytest.fixture
def covered(school_day):
    """Last week: Alex covered Maya's two classes (a conference); Colleague 0 covered one of them the next day."""
    d = school_day
    reasons.save_reason(
        reason=reasons.find("conference"), label="Conference", account_code="PD-2100", needs_approval=False, active=True
    )
    past = d["day"] - timedelta(days=14)
    first = coverage.request_coverage(
        teacher=d["observer"], day=d["day"], period_ids=None, reason="conference", notes=""
    )
    second = coverage.request_coverage(
        teacher=d["observer"], day=d["day"] + timedelta(days=1), period_ids=None, reason="other", notes=""
    )
    for request in first + second:  # move them into the past, as if the days had happened
        request.day -= timedelta(days=14)
        request.starts_at -= timedelta(days=14)
        request.ends_at -= timedelta(days=14)
    coverage.assign(requests=first, cover=d["sub"], actor=d["admin"])
    coverage.assign(requests=second[:1], cover=d["free"][0], actor=d["admin"])
    db.session.commit()
    d.update(first=first, second=second, past=past)
    return d


def test_verified_hours_are_what_the_payroll_file_pays(covered, auth, client):
    d = covered
    auth.login(d["admin"].email)
    start, end = (d["past"] - timedelta(days=3)).isoformat(), (d["past"] + timedelta(days=3)).isoformat()
    page = client.get(f"/coverage/verify?school_id={d['school'].id}&start={start}&end={end}").get_data(as_text=True)
    assert "Alex Sub" in page and "Colleague 0" in page

    # Alex worked only Period 2 (50 minutes) and stayed 10 more; Colleague 0 is paid a half day.
    period_2, period_3 = d["first"]
    assert (
        client.post(
            "/coverage/verify",
            data={
                "school_id": d["school"].id,
                "request_id": [period_2.id, period_3.id],
                "basis": "periods",
                "worked": [period_2.id],
                "adjustment_minutes": "10",
                "note": "Stayed for the end of lunch duty",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/coverage/verify",
            data={"school_id": d["school"].id, "request_id": [d["second"][0].id], "basis": "half_day"},
        ).status_code
        == 302
    )
    checks = db.session.scalars(select(CoverVerification).order_by(CoverVerification.id)).all()
    assert [c.paid_minutes for c in checks] == [60, 210]

    csv_file = client.get(f"/coverage/payroll.csv?start={start}&end={end}")
    heading, *body = csv_rows(csv_file)
    rows = [dict(zip(heading, row, strict=True)) for row in body]
    assert [(r["Name"], r["Hours"], r["Basis"]) for r in rows] == [
        ("Alex Sub", "1.00", "Periods worked"),
        ("Colleague 0", "3.50", "Half day"),
    ]
    assert rows[0]["Account code"] == "PD-2100" and rows[0]["Reason"] == "Conference"
    assert rows[0]["Role"] == "Substitute" and rows[1]["Role"] == "Staff"
    assert rows[0]["Adjustment note"] == "Stayed for the end of lunch duty"
    verified_total = sum(Decimal(c.paid_minutes) / 60 for c in checks)
    assert sum(Decimal(r["Hours"]) for r in rows) == verified_total

    sheet = xlsx_book(client.get(f"/coverage/payroll.xlsx?start={start}&end={end}"))["Payroll"]
    header = [cell.value for cell in sheet[1]]
    hours = [row[header.index("Hours")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sum(Decimal(str(h)) for h in hours) == verified_total
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")).detail["what"] == "payroll"


def test_a_day_is_verified_only_after_it_happens_and_with_something_to_pay(covered):
    d = covered
    with pytest.raises(RuleViolation, match="Tick the periods"):
        payroll.verify(
            school=d["school"],
            requests=d["first"],
            basis="periods",
            worked_ids=set(),
            adjustment_minutes=0,
            note="",
            actor=d["admin"],
            today=d["day"],
        )
    with pytest.raises(RuleViolation, match="once it has happened"):
        payroll.verify(
            school=d["school"],
            requests=d["first"],
            basis="full_day",
            worked_ids=set(),
            adjustment_minutes=0,
            note="",
            actor=d["admin"],
            today=d["past"] - timedelta(days=1),
        )
    with pytest.raises(RuleViolation, match="between -480 and 480"):
        payroll.verify(
            school=d["school"],
            requests=d["first"],
            basis="full_day",
            worked_ids=set(),
            adjustment_minutes=900,
            note="",
            actor=d["admin"],
            today=d["day"],
        )
    db.session.rollback()
    assert db.session.scalar(select(CoverVerification)) is None


def test_verifying_again_replaces_the_first_check(covered):
    d = covered
    for basis in ("full_day", "half_day"):
        payroll.verify(
            school=d["school"],
            requests=d["first"],
            basis=basis,
            worked_ids=set(),
            adjustment_minutes=0,
            note="",
            actor=d["admin"],
            today=d["day"],
        )
    db.session.commit()
    [check] = db.session.scalars(select(CoverVerification)).all()
    assert check.basis == "half_day" and check.paid_minutes == 210
    rows = payroll.payroll_rows([d["school"]], d["past"], d["past"])
    assert [row[9] for row in rows] == [Decimal("3.50")]
