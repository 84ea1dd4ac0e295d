"""The offline tests' "no signal" holds for whatever carries the phone's sign-in, not only what Playwright sees."""

import http.client
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import new_tab, sign_in
from tests.browser.no_signal import lose_signal, regain_signal, session_cookies

pytestmark = pytest.mark.browser


def _home_status(live_server: str, session_cookie: str) -> int | str:
    """What the live server answers a request for home that carries this session cookie, sent from outside
    the browser as Chromium's own requests are."""
    address = urlsplit(live_server)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", "/", headers={"Cookie": f"session={session_cookie}"})
        return connection.getresponse().status
    except (http.client.RemoteDisconnected, ConnectionError):
        return "no answer"
    finally:
        connection.close()


def test_a_phone_without_signal_reaches_nothing_while_another_persons_tab_does(chromium, live_server):
    phone = new_tab(chromium, live_server)
    desk = new_tab(chromium, live_server)
    try:
        sign_in(phone, "maya.ortiz@district.example")
        sign_in(desk, "sam.rivera@district.example")
        [phone_cookie], [desk_cookie] = session_cookies(phone), session_cookies(desk)

        lose_signal(phone)
        assert _home_status(live_server, phone_cookie) == "no answer"
        assert _home_status(live_server, desk_cookie) == 200
        desk.reload()  # the other person's tab works as before
        assert desk.get_by_role("heading", level=1).count() == 1

        regain_signal(phone)
        assert _home_status(live_server, phone_cookie) == 200
    finally:
        phone.context.close()
        desk.context.close()
