"""Every page of the permission world, as each person allowed to read it gets it, passes the W3C Nu HTML
checker (npm vnu-jar, run with Java). htmx's attributes are the one thing it may say: HTML has no place
for a library's own attributes but data-*, and htmx 2 reads hx-* by design."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.world_pages import html_pages

VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REQUIRE = os.environ.get("WALKTHROUGH_REQUIRE_BROWSER") == "1"  # CI has every checking tool


def _checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU.exists():
        return [java, "-Xss8m", "-jar", str(VNU)]
    reason = "the Nu HTML checker needs Java (default-jre-headless) and `npm ci` (vnu-jar)"
    if REQUIRE:
        pytest.fail(reason)
    pytest.skip(reason)


def _is_htmx_attribute(message: dict) -> bool:
    return message["message"].startswith("Attribute “hx-")


def check(files: list[Path]) -> list[dict]:
    result = subprocess.run(
        [*_checker(), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [m for m in json.loads(result.stderr)["messages"] if not _is_htmx_attribute(m)]


def test_the_checker_finds_real_errors(tmp_path):
    """So a clean run below means clean pages, not a checker that reads nothing."""
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><html lang="en"><title>x</title><p id="a" id="a"><div hx-get="/">x</div></p>')
    found = [m["message"] for m in check([page])]
    assert any("Duplicate attribute" in m for m in found), found
    assert any("No “p” element in scope" in m for m in found), found
    assert not any("hx-get" in m for m in found)


def test_every_page_in_the_world_is_valid_html(shared_app, same_world, tmp_path):
    where = {}
    for number, page in enumerate(html_pages(shared_app, same_world)):
        file = tmp_path / f"page-{number}.html"
        file.write_text(page.html, encoding="utf-8")
        where[file.name] = f"{page.kind} {page.path}"
    assert len(where) > 250  # every reader of every page, so a broken collector can't pass quietly
    found = check(sorted(tmp_path.iterdir()))
    assert [f"{where[m['url'].rsplit('/', 1)[1]]}: {m['message']} [{m.get('extract', '')!r}]" for m in found] == []
