"""Page weight and Lighthouse: what a phone downloads on first load, and Lighthouse's mobile scores.

    .venv/bin/python bench/weight.py [--database-url URL]

Serves the app with gunicorn (district data, as bench/load.py prepares it), signs in a teacher, and for
the note editor, the open-slot list and the home page adds up the compressed bytes of the HTML and of
every stylesheet, script, image and font it loads. In Chromium it then loads the note editor twice and
counts what the second load took from the service worker and what from the network. Then it runs Lighthouse
(bench/lighthouse, installed with `npm ci --prefix bench/lighthouse`) against each page in Debian's Chromium
with the browser tests' headless flags, and prints the performance, accessibility and best-practices scores."""

import argparse
import json
import os
import re
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from load import ROOT, prepare, sign_in, start_gunicorn

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
# What a page loads: stylesheets, scripts, images. Not the Apple touch icon, which a browser fetches only
# when someone adds the app to a home screen, not with the page.
ASSET = re.compile(r'<(?:link(?![^>]*apple-touch-icon)[^>]+href|script[^>]+src|img[^>]+src)="(/static/[^"]+)"')


def fetch(url: str, cookie: str) -> tuple[bytes, int]:
    """The body as sent (compressed) and its length on the wire."""
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": "zstd, br, gzip"})
    with urllib.request.urlopen(request) as response:
        raw = response.read()
        return raw, len(raw)


def page_weight(base: str, path: str, cookie: str) -> dict[str, int]:
    plain = urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie})).read().decode()
    _, html = fetch(base + path, cookie)
    weights = {"html": html, "css": 0, "js": 0, "images": 0, "fonts": 0}
    for asset in sorted(set(ASSET.findall(plain))):
        _, size = fetch(base + asset, cookie)
        kind = (
            "css"
            if ".css" in asset
            else "js"
            if ".js" in asset
            else "fonts"
            if re.search(r"\.(woff2?|ttf|otf)", asset)
            else "images"
        )
        weights[kind] += size
    return weights


def repeat_load(base: str, path: str, email: str) -> tuple[int, int, int]:
    """Load path in Chromium, wait for the service worker, load it again: (requests from the worker,
    requests from the network, bytes from the network) on the second load."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROME_FLAGS.split())
        page = browser.new_page(viewport={"width": 360, "height": 780})
        page.goto(base + "/auth/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password", exact=True).fill("walkthrough-demo")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base + "/")
        page.goto(base + path)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_timeout(1500)  # the worker keeps today's pages
        second = []
        page.on("requestfinished", lambda request: second.append(request))
        page.reload(wait_until="networkidle")
        from_worker = [r for r in second if r.response() and r.response().from_service_worker]
        from_network = [r for r in second if r not in from_worker]
        network_bytes = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in from_network)
        browser.close()
    return len(from_worker), len(from_network), network_bytes


def lighthouse(url: str, cookie: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility,best-practices",
                f"--chrome-flags={CHROME_FLAGS}",
                "--extra-headers",
                json.dumps({"Cookie": cookie}),
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            capture_output=True,
        )
        categories = json.loads(report.read_text())["categories"]
    return {name: round(category["score"] * 100) for name, category in categories.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/district.sqlite")
    args = parser.parse_args()
    chosen = prepare(args.database_url)
    env = {
        **os.environ,
        "WALKTHROUGH_DATABASE_URL": args.database_url,
        "WALKTHROUGH_ENV": "production",
        "WALKTHROUGH_BASE_URL": "http://127.0.0.1",
        "WALKTHROUGH_HTTPS": "0",
        "WALKTHROUGH_RATELIMIT_ENABLED": "0",
    }
    server, base = start_gunicorn("wsgi:app", env, 2)
    try:
        cookie, _ = sign_in(base, chosen["teacher"])
        pages = [("note editor", f"/observations/{chosen['editor']}"), ("open slots", "/visits/"), ("home", "/")]
        rows = []
        for name, path in pages:
            weights = page_weight(base, path, cookie)
            scores = lighthouse(base + path, cookie) if LIGHTHOUSE.exists() else {}
            rows.append((name, weights, scores))
        repeat = repeat_load(base, f"/observations/{chosen['editor']}", chosen["teacher"])
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{'page':<14}{'html':>8}{'css':>8}{'js':>8}{'img':>8}{'fonts':>7}{'total':>9}  lighthouse perf/a11y/bp")
    for name, w, s in rows:
        total = sum(w.values())
        marks = "/".join(str(s.get(k, "-")) for k in ("performance", "accessibility", "best-practices"))
        print(f"{name:<14}{w['html']:>8}{w['css']:>8}{w['js']:>8}{w['images']:>8}{w['fonts']:>7}{total:>9}  {marks}")
    editor = sum(rows[0][1].values())
    print(
        f"note editor, second load: {repeat[0]} requests answered by the service worker (files from its cache; "
        f"the page itself it fetches fresh while online), {repeat[1]} straight from the network "
        f"({repeat[2] / 1024:.1f} KB)"
    )
    print(
        f"summary: note editor first load {editor / 1024:.1f} KB compressed; "
        f"lowest Lighthouse score {min((v for _, _, s in rows for v in s.values()), default='n/a')}"
    )


if __name__ == "__main__":
    main()
