"""The code passes ruff's checks (pyflakes, pycodestyle, import order), so mistakes like unused
imports or undefined names fail the suite rather than waiting for review."""

import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "walkthrough", "tests", "bench"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
