"""Render the demo district's downloads as people see them, into docs/: the summary PDF as WeasyPrint made
it, and spreadsheets as LibreOffice lays them out. Needs LibreOffice (Debian: libreoffice-calc-nogui) and
poppler-utils; run from the checkout: .venv/bin/python scripts/export_screenshots.py"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from walkthrough import create_app  # noqa: E402
from walkthrough.demo.cli import seed_demo_district  # noqa: E402
from walkthrough.extensions import db  # noqa: E402

DOWNLOADS = [
    ("dana.whitfield@district.example", "/reports/summary.pdf", "summary.pdf"),
    ("dana.whitfield@district.example", "/reports/summary.xlsx", "summary.xlsx"),
]


def download_all(work: Path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'demo.sqlite'}", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed_demo_district()
        db.session.commit()
    # Outside the app context: each request gets its own (and its own signed-in person).
    for email, path, name in DOWNLOADS:
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": "walkthrough-demo"})
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        (work / name).write_bytes(response.get_data())


def page_image(pdf: Path, stem: Path, page: int = 1, dpi: int = 90) -> Path:
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile", pdf, stem], check=True
    )
    return stem.with_suffix(".png")


def main() -> None:
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        sys.exit("Needs LibreOffice (soffice) and poppler-utils (pdftoppm).")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        download_all(work)
        sheets = [work / "summary.xlsx"]
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", work / "calc", *sheets], check=True)
        shots = {
            "export-summary-pdf.png": page_image(work / "summary.pdf", work / "summary-pdf"),
            "export-summary-xlsx.png": page_image(work / "calc" / "summary.pdf", work / "summary-xlsx", dpi=110),
        }
        for name, image in shots.items():
            with Image.open(image) as picture:
                box = picture.getbbox() if name.endswith("pdf.png") else _content_box(picture)
                picture.crop(box).save(ROOT / "docs" / name, optimize=True)
            print("docs/" + name)


def _content_box(picture: Image.Image) -> tuple[int, int, int, int]:
    """The printed part of a spreadsheet page, with a margin, and at most its first forty rows or so."""
    grey = picture.convert("L").point(lambda v: 255 if v > 250 else 0)
    left, top, right, bottom = Image.eval(grey, lambda v: 255 - v).getbbox()
    return max(left - 20, 0), max(top - 20, 0), min(right + 20, picture.width), min(bottom + 20, top + 700)


if __name__ == "__main__":
    main()
