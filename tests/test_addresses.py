"""Templates build addresses through templating.template_url_for, which keeps fixed addresses and the
pattern of each row's address instead of asking Flask every time: what it builds must be what Flask builds."""

import random

import pytest
from flask import url_for

from walkthrough.templating import template_url_for


def _id_only_endpoints(app) -> dict[str, list[str]]:
    """Every endpoint whose address takes nothing but whole numbers, with their names."""
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.arguments and all(
            type(rule._converters[name]).__name__ == "IntegerConverter" for name in rule.arguments
        ):
            found.setdefault(rule.endpoint, sorted(rule.arguments))
    return found


@pytest.mark.parametrize("mounted_at", ["", "/walkthrough"])
def test_every_row_address_is_the_one_flask_builds(shared_app, mounted_at):
    endpoints = _id_only_endpoints(shared_app)
    assert len(endpoints) > 50  # notes, visits, people, cover jobs...
    numbers = random.Random(7)
    with shared_app.test_request_context("/", base_url=f"http://localhost{mounted_at}"):
        for endpoint, names in endpoints.items():
            for _ in range(3):  # the first call works the pattern out, the next ones use it
                values = {name: numbers.choice([0, 1, 9, 42, 10**12]) for name in names}
                assert template_url_for(endpoint, **values) == url_for(endpoint, **values), endpoint
                assert template_url_for(endpoint, **values).startswith(f"{mounted_at}/")
                # A whole number that isn't in the path goes in the query, as a caseload card's year does.
                values |= {"year": numbers.choice([2024, 2026]), "page": numbers.choice([1, 3])}
                assert template_url_for(endpoint, **values) == url_for(endpoint, **values), endpoint


def test_addresses_with_text_or_anchors_come_out_as_flask_builds_them(shared_app):
    with shared_app.test_request_context("/"):
        note = _id_only_endpoints(shared_app)
        endpoint, [name] = next((e, n) for e, n in note.items() if e == "observations.view")
        # An anchor, a value that isn't a whole number, a query string: each exactly as url_for has it.
        assert template_url_for(endpoint, **{name: 5}, _anchor="photos") == url_for(endpoint, **{name: 5}) + "#photos"
        assert template_url_for(endpoint, **{name: "5"}) == url_for(endpoint, **{name: "5"})
        assert template_url_for("coaching.caseload_page", page=2) == url_for("coaching.caseload_page", page=2)
        assert "?" in template_url_for("coaching.caseload_page", page=2)
        assert template_url_for(endpoint, **{name: True}) == url_for(endpoint, **{name: True})
