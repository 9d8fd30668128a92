"""Two people in a video visit, in two separate headless Chromiums with fake cameras and microphones on
loopback (hazard H30, test T30): the member in one, the clinician in the other, each signed in against the live
server. Each sees the other's video (a live remote track with a non-zero frame size), the waiting room and the
connection state are said in words, the page passes axe and fits a 360-px screen, and a third signed-in account
gets 404 for the room. When one side's call cannot connect, both sides are shown the fallback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, BrowserType, Page, expect

from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.test import make_user
from bounceback.video.window import OPENS_BEFORE
from conftest import ARTIFACTS

from .builders import Visit, book

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MEDIA_FLAGS = [
    "--use-fake-device-for-media-stream",  # a generated picture and tone instead of a camera and microphone
    "--use-fake-ui-for-media-stream",  # grant camera and microphone without the prompt
    "--allow-loopback-in-peer-connection",  # gather 127.0.0.1 candidates: the two browsers share one machine
    "--disable-features=WebRtcHideLocalIpsWithMdns",  # plain host addresses, no .local names to resolve
    "--autoplay-policy=no-user-gesture-required",
]
SHOTS = str(ARTIFACTS / "video-{}.png")
SHORT_WAIT = """new MutationObserver((changes, observer) => {
  const room = document.getElementById('room');
  if (room) { room.setAttribute('data-connect-seconds', '3'); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});"""
"""Before the room's script reads it, the wait for a connection becomes 3 seconds."""
RELAY_ONLY = """(() => {
  const Real = window.RTCPeerConnection;
  window.RTCPeerConnection = function (config) {
    return new Real(Object.assign({}, config, {iceTransportPolicy: 'relay'}));
  };
  window.RTCPeerConnection.prototype = Real.prototype;
})();"""
"""Relay candidates only, and no TURN server to relay through: this browser offers no way to reach it."""
REMOTE_VIDEO_PLAYS = """() => {
  const v = document.getElementById('remote-video');
  const s = v && v.srcObject;
  const t = s && s.getVideoTracks()[0];
  return !!t && t.readyState === 'live' && v.videoWidth > 0 && v.videoHeight > 0;
}"""


@pytest.fixture
def browsers(browser_type: BrowserType, browser_type_launch_args: dict[str, Any]) -> Iterator[list[Browser]]:
    """Two separate Chromium processes, as two people on two computers would have."""
    args = [*browser_type_launch_args.get("args", []), *MEDIA_FLAGS]
    launched = [browser_type.launch(**{**browser_type_launch_args, "args": args}) for _ in range(2)]
    yield launched
    for browser in launched:
        browser.close()


def signed_in(browser: Browser, live_server: Any, user: Any, **options: Any) -> BrowserContext:
    """A browser context holding the session of ``user`` (signed in with two-factor already done for a
    clinician: the session is made by the test client, as after the sign-in pages)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    context.add_cookies(
        [{"name": k, "value": v.value, "url": live_server.url} for k, v in client.cookies.items()]
    )
    return context


def enter(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Join the visit").click()


def test_the_member_and_the_clinician_see_each_other(live_server: Any, browsers: list[Browser]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    visit: Visit = book(timezone.now() + timedelta(minutes=5))
    url = live_server.url + visit.room_url
    member = signed_in(browsers[0], live_server, visit.member, viewport={"width": 360, "height": 900})
    clinician = signed_in(browsers[1], live_server, visit.clinician)
    member_page, clinician_page = member.new_page(), clinician.new_page()
    console: list[str] = []  # these contexts keep the strict CSP: a blocked script or request would show here
    for page in (member_page, clinician_page):
        page.on("console", lambda message: console.append(message.text))

    enter(member_page, url)
    expect(member_page.locator("#room-status")).to_have_text("Waiting for Carol Example to join.")
    member_page.screenshot(path=SHOTS.format("member-waiting"), full_page=True)

    enter(clinician_page, url)
    for page, other in ((member_page, "Carol Example"), (clinician_page, "Mona Member")):
        expect(page.locator("#room-status")).to_have_text(f"Connected to {other}.", timeout=30_000)
        page.wait_for_function(REMOTE_VIDEO_PLAYS, timeout=20_000)
        expect(page.locator("#other-status")).to_have_text(f"{other}’s connection: connected.", timeout=5_000)
        expect(page.locator("#fallback")).to_be_hidden()
    assert not has_horizontal_scroll(member_page)
    assert not [text for text in console if "Content Security Policy" in text], console
    member_page.screenshot(path=SHOTS.format("member-connected"), full_page=True)
    clinician_page.screenshot(path=SHOTS.format("clinician-connected"), full_page=True)

    # Keyboard: the controls are buttons in the tab order, and they say what they will do next.
    camera = member_page.get_by_role("button", name="Turn camera off")
    camera.focus()
    member_page.keyboard.press("Enter")
    expect(member_page.get_by_role("button", name="Turn camera on")).to_be_focused()
    expect(member_page.locator("#media-status")).to_have_text("Your camera is off.")

    # The clinician leaves: the member is told, and waits again.
    clinician_page.get_by_role("button", name="Leave the visit").click()
    expect(clinician_page.locator("#room-status")).to_have_text("You left the visit.")
    expect(member_page.locator("#room-status")).to_have_text(
        "Waiting for Carol Example to join.", timeout=15_000
    )

    # A third signed-in account gets the same 404 as a visit that does not exist.
    outsider = signed_in(browsers[1], live_server, make_user("otto")).new_page()
    response = outsider.goto(url)
    assert response is not None and response.status == 404
    heading = outsider.locator("h1").inner_text()
    outsider.goto(live_server.url + f"/visits/{uuid.uuid4()}/room/")
    assert outsider.locator("h1").inner_text() == heading


def test_the_room_passes_axe_while_waiting_and_in_the_room(live_server: Any, browsers: list[Browser]) -> None:
    soon = book(timezone.now() + timedelta(minutes=5))
    later = book(timezone.now() + timedelta(hours=3), prefix="l")
    # axe is injected as a script: only these contexts bypass the CSP (the call itself runs under it above).
    context = signed_in(
        browsers[0], live_server, soon.member, bypass_csp=True, viewport={"width": 360, "height": 800}
    )
    page = context.new_page()
    page.goto(live_server.url + later.room_url)  # another member's visit: 404
    assert page.locator("h1").count() == 1
    waiting = signed_in(browsers[0], live_server, later.member, bypass_csp=True).new_page()
    waiting.goto(live_server.url + later.room_url)
    expect(waiting.locator("main")).to_contain_text("Your visit opens at")
    assert axe_violations(waiting) == []
    waiting.screenshot(path=SHOTS.format("waiting-page"), full_page=True)
    page.goto(live_server.url + soon.room_url)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Join the visit").click()
    expect(page.locator("#room-status")).to_have_text("Waiting for Carol Example to join.")
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)


def test_the_waiting_page_becomes_the_room_when_it_opens(live_server: Any, browsers: list[Browser]) -> None:
    visit = book(timezone.now() + OPENS_BEFORE + timedelta(seconds=3))
    page = signed_in(browsers[0], live_server, visit.member).new_page()
    page.goto(live_server.url + visit.room_url)
    expect(page.locator("main")).to_contain_text("Your visit opens at")
    expect(page.get_by_role("button", name="Join the visit")).to_be_visible(timeout=15_000)


def test_when_the_call_cannot_connect_both_sides_see_the_fallback(
    live_server: Any, browsers: list[Browser]
) -> None:
    visit = book(timezone.now() + timedelta(minutes=5))
    url = live_server.url + visit.room_url
    member = signed_in(browsers[0], live_server, visit.member)
    clinician = signed_in(browsers[1], live_server, visit.clinician)
    # The member's browser may only use a relay, and there is none (as behind a strict NAT without TURN); the
    # wait for a connection is cut to 3 seconds.
    member.add_init_script(RELAY_ONLY)
    for context in (member, clinician):
        context.add_init_script(SHORT_WAIT)
    member_page, clinician_page = member.new_page(), clinician.new_page()
    enter(member_page, url)
    enter(clinician_page, url)
    for page, other in ((member_page, "Carol Example"), (clinician_page, "Mona Member")):
        expect(page.locator("#fallback")).to_be_visible(timeout=20_000)
        expect(page.locator("#fallback")).to_contain_text(f"Send a secure message to {other}.")
        expect(page.locator("#fallback a[href='tel:+15550101']")).to_be_visible()
    member_page.screenshot(path=SHOTS.format("member-fallback"), full_page=True)
    clinician_page.screenshot(path=SHOTS.format("clinician-fallback"), full_page=True)
