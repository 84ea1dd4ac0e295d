"""Build hook: templates, static files and migrations live at the top of the checkout (where people look for
them) and go into the wheel inside the package, where an installed app finds them (walkthrough.app_files)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

APP_FILES = ("templates", "static", "migrations", "docs")


class BuildWithAppFiles(build_py):
    def run(self):
        super().run()
        for name in APP_FILES:
            shutil.copytree(
                name,
                Path(self.build_lib) / "walkthrough" / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.png"),
            )


setup(cmdclass={"build_py": BuildWithAppFiles})
