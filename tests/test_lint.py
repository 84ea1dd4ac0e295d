"""The code passes ruff's checks (pyflakes, pycodestyle, import order, bugbear, pyupgrade) and is formatted,
and the package keeps its layers (import-linter, configured in pyproject.toml), so mistakes and imports that
point the wrong way fail the suite rather than waiting for review."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

CHECKED = ["walkthrough", "tests", "bench", "setup.py"]


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = _run(sys.executable, "-m", "ruff", "check", *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted():
    result = _run(sys.executable, "-m", "ruff", "format", "--check", *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_features_import_downwards_only():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = _run(str(lint_imports), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


TEMPLATE_LINE_LIMIT = 160


def test_template_lines_fit_on_a_screen():
    """Python lines are capped by ruff; templates by this test, for the same reason: a reviewer reads the
    whole line. Break between attributes, or before a `{%-`/`{{-` tag so the output keeps its whitespace."""
    long_lines = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}: {len(line)} characters"
        for path in sorted((PROJECT_ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > TEMPLATE_LINE_LIMIT
    ]
    assert not long_lines, "\n".join(long_lines)
