"""A real OpenID Provider for the SSO tests: panva's certified `oidc-provider` (npm, from package-lock.json) run
by Node on a loopback port (tests/js/oidc_provider.mjs), and a way to walk its sign-in page without a browser."""

import json
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
import requests
from joserfc.jwk import RSAKey

from tests.smtp_setup import free_port

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = PROJECT_ROOT / "tests" / "js" / "oidc_provider.mjs"
CLIENT_ID, CLIENT_SECRET = "walkthrough", "walkthrough-test-secret-that-is-long-enough"


def new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, {"kid": kid, "use": "sig", "alg": "RS256"}, private=True)


class OidcProvider:
    def __init__(self, redirect_uris: list[str], post_logout_uris: list[str]):
        self.folder = Path(tempfile.mkdtemp(prefix="walkthrough-oidc-"))
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key = new_key("key-1")
        self.accounts: dict[str, dict] = {}
        self.redirect_uris, self.post_logout_uris = redirect_uris, post_logout_uris
        self.process = None

    def set_account(self, sub: str, email: str, *, verified: bool = True, name: str = "") -> None:
        self.accounts[sub] = {"email": email, "email_verified": verified, "name": name or email.split("@")[0]}
        (self.folder / "accounts.json").write_text(json.dumps(self.accounts))

    def start(self) -> None:
        if not (PROJECT_ROOT / "node_modules" / "oidc-provider").is_dir():
            pytest.fail("oidc-provider is missing: run `npm ci` (scripts/test does it when Node.js is installed)")
        (self.folder / "accounts.json").write_text(json.dumps(self.accounts))
        config = {
            "port": self.port,
            "issuer": self.issuer,
            "client": {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": self.redirect_uris,
                "post_logout_redirect_uris": self.post_logout_uris,
            },
            "jwks": {"keys": [self.key.as_dict(private=True)]},
            "accounts": str(self.folder / "accounts.json"),
        }
        (self.folder / "config.json").write_text(json.dumps(config))
        self.log = open(self.folder / "provider.log", "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["node", str(SCRIPT), str(self.folder / "config.json")], cwd=PROJECT_ROOT, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"the OpenID Provider did not start:\n{(self.folder / 'provider.log').read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process:
            self.log.close()
        self.process = None

    def rotate_key(self) -> None:
        """A new signing key with a new key id, as providers do on a schedule; the old one is gone."""
        self.stop()
        self.key = new_key(f"key-{time.monotonic_ns()}")
        self.start()

    def forge_next_id_token(self, token: str) -> None:
        requests.post(f"{self.issuer}/test/next-id-token", data=token, timeout=5).raise_for_status()

    def last_id_token(self) -> str:
        return requests.get(f"{self.issuer}/test/last-id-token", timeout=5).text

    def sign_in(self, authorize_url: str, email: str, *, cancel: bool = False) -> str:
        """Walk the provider's pages as a person would: open the authorization URL, type the email (or press
        Cancel), and return the address the provider sends the browser back to (the app's callback)."""
        browser = requests.Session()
        page = browser.get(authorize_url, timeout=10)
        assert page.status_code == 200 and "District sign-in" in page.text, page.text
        form_action = "/abort" if cancel else "/login"
        uid = urllib.parse.urlsplit(page.url).path.rsplit("/", 1)[1]
        answer = browser.post(
            f"{self.issuer}/interaction/{uid}{form_action}", data={"email": email}, allow_redirects=False, timeout=10
        )
        while answer.is_redirect and answer.headers["Location"].startswith(("/", self.issuer)):
            answer = browser.get(urllib.parse.urljoin(self.issuer, answer.headers["Location"]), allow_redirects=False)
        assert answer.is_redirect, answer.text
        return answer.headers["Location"]


@pytest.fixture(scope="session")
def _oidc_server():
    provider = OidcProvider(
        redirect_uris=["http://127.0.0.1:5000/auth/sso/callback"],
        post_logout_uris=["http://127.0.0.1:5000/auth/login"],
    )
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def oidc_provider(_oidc_server):
    """The provider, started once per test process, with no accounts and no forgery left from another test."""
    _oidc_server.accounts.clear()
    (_oidc_server.folder / "accounts.json").write_text("{}")
    _oidc_server.forge_next_id_token("")
    return _oidc_server
