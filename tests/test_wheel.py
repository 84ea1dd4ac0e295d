"""The package installs: a wheel built from the checkout, installed (not editable) into a fresh virtualenv,
migrates an empty database and serves pages, templates, static files and the PDF stylesheet included."""

import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

from tests.conftest import PROJECT_ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(*command, **options) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, **options)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_wheel_installed_in_a_fresh_virtualenv_migrates_and_serves_pages(tmp_path):
    _run(sys.executable, "-m", "pip", "wheel", str(PROJECT_ROOT), "--no-deps", "-q", "-w", str(tmp_path / "dist"))
    [wheel] = (tmp_path / "dist").glob("walkthrough-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    # The dependencies come from this environment's site-packages (no network needed); the app itself only
    # from the wheel: a directory added by a .pth file doesn't run that directory's own .pth files, so the
    # editable install of the checkout stays out of sight.
    purelib = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    (purelib / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel))

    workdir = tmp_path / "run"
    workdir.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "WALKTHROUGH_DATABASE_URL": f"sqlite:///{workdir / 'fresh.sqlite'}",
        "WALKTHROUGH_SECRET_KEY": "wheel-test-key",
        "FLASK_APP": "walkthrough:create_app",
    }
    installed = _run(str(python), "-c", "import walkthrough; print(walkthrough.__file__)", cwd=workdir, env=env)
    assert installed.startswith(str(venv)), installed
    _run(str(python), "-m", "flask", "db", "upgrade", cwd=workdir, env=env)
    css = _run(
        str(python),
        "-c",
        "from walkthrough import create_app\napp = create_app()\n"
        "from walkthrough.documents import print_css\nwith app.app_context(): print(len(print_css()))",
        cwd=workdir,
        env=env,
    )
    assert int(css) > 100

    port = _free_port()
    server = subprocess.Popen(
        [str(python), "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "walkthrough:create_app()"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        page = _fetch(f"http://127.0.0.1:{port}/auth/login")
        assert "Sign in" in page and "/static/css/app.css" in page
        stylesheet = page.split('href="/static/css/app.css', 1)[1].split('"', 1)[0]
        assert ".panel" in _fetch(f"http://127.0.0.1:{port}/static/css/app.css{stylesheet}")
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _fetch(url: str) -> str:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


def test_the_lock_file_holds_every_pinned_dependency_at_its_pinned_version():
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    pinned = project["dependencies"] + project["optional-dependencies"]["test"]
    locked = {
        line.split("==")[0].lower().replace("_", "-"): line.split("==")[1]
        for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for requirement in pinned:
        name, version = requirement.split("==")
        name = name.split("[")[0].lower().replace("_", "-")
        assert locked.get(name) == version, f"{requirement} is not in requirements.lock; run ./scripts/lock"
