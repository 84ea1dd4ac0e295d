"""Draw the app icons (home screen, install prompt, Apple touch icon) from one design, so they match.

Run from the project root: .venv/bin/python scripts/make_icons.py. The PNGs are committed; run this again
only to change the design."""

from pathlib import Path

from PIL import Image, ImageDraw

NAVY = (20, 63, 94)  # the favicon's colours: a gold W on navy
GOLD = (255, 191, 71)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
# The favicon's W, in its 32-unit square.
W_POINTS = [(7, 10), (11, 23), (16, 14), (21, 23), (25, 10)]
W_CENTRE = (16, 16.5)


def draw(size: int, *, maskable: bool) -> Image.Image:
    """The favicon's W. A maskable icon keeps it inside the middle 80 % (the safe zone) of a full square."""
    scale = 4  # draw large and shrink, for smooth edges
    big = size * scale
    image = Image.new("RGB", (big, big), NAVY)
    pen = ImageDraw.Draw(image)
    unit = big / 32 * (0.7 if maskable else 0.95)
    cx, cy = big / 2, big / 2
    points = [(cx + (x - W_CENTRE[0]) * unit, cy + (y - W_CENTRE[1]) * unit) for x, y in W_POINTS]
    width = round(3 * unit)
    pen.line(points, fill=GOLD, width=width, joint="curve")
    for x, y in (points[0], points[-1]):  # round caps, as the SVG's stroke-linecap
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    draw(180, maskable=True).save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
