"""The web app (web/) in a real browser through the real local stack: a clinician signs in, acknowledges an
open alert, opens the patient's chart (the points drawn are the readings the API returns), sends a message
with an attachment, and the patient, signed in in another browser context, receives it live. On every page:
no request to another origin, no console error, no serious or critical axe-core violation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from infra.local.stack import LocalStack
from tests.support.api import Api
from tests.support.cast import Account, Cast
from tests.support.webapp import AXE, DIST, Clinic, axe_violations, launch, seed_clinic

pytestmark = pytest.mark.skipif(not DIST.exists() or not AXE.exists(), reason="web/dist not built: run `make web`")
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for every browser test of this process; skipped (not failed) where none can start."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        try:
            chromium = launch(playwright)
        except Exception as error:  # no system Chromium and no downloaded one
            pytest.skip(f"no Chromium to drive (install chromium, or `playwright install chromium`): {error}")
        yield chromium
        chromium.close()


class Tab:
    """A browser context of its own (one user), recording requests to other origins and console errors."""

    def __init__(self, browser: Any, stack: LocalStack, **options: Any) -> None:
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.allowed = {_origin(stack.base_url), _origin(stack.moto_endpoint)}  # the API, the presigned uploads
        self.elsewhere: list[str] = []
        self.problems: list[str] = []
        self.context.route("**/*", self._only_allowed)
        self.page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.page.on("websocket", lambda socket: self._check_socket(socket.url, stack))

    def _only_allowed(self, route: Any) -> None:
        if _origin(route.request.url) in self.allowed:
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def _check_socket(self, url: str, stack: LocalStack) -> None:
        if _origin(url) != _origin(stack.ws_url):
            self.elsewhere.append(url)
        if "token=" in url:
            self.problems.append(f"an access token in the WebSocket URL: {url}")

    def sign_in(self, stack: LocalStack, account: Account) -> None:
        self.page.goto(stack.base_url + "/")  # redirected to /app/
        self.page.get_by_label("Email").fill(account.email)
        self.page.get_by_label("Password").fill(account.password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.get_by_role("button", name="Sign out").wait_for()
        self.page.locator("[data-live=on]").wait_for()

    def assert_clean(self, where: str) -> None:
        self.page.wait_for_load_state("networkidle")
        violations = axe_violations(self.page)
        assert violations == [], f"{where}: " + "\n".join(violations)
        assert self.elsewhere == [], f"{where}: requests to other origins {self.elsewhere}"
        assert self.problems == [], f"{where}: console errors {self.problems}"

    def close(self) -> None:
        self.context.close()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.replace('ws', 'http')}://{parts.netloc}"


@pytest.fixture(scope="module")
def clinic(api: Api, stack: LocalStack, cast: Cast) -> Clinic:
    return seed_clinic(api, stack, cast.admin)


def test_root_redirects_to_the_app_and_its_config_names_this_stack(api: Api, stack: LocalStack) -> None:
    root = api.get("/")
    assert root.status == 302
    assert root.headers["location"].endswith("/app/")
    page = api.get("/app/")
    assert page.status == 200
    assert page.content_type == "text/html"
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'none'" in policy
    assert stack.ws_url in policy
    config = api.get("/app/config.json").json()
    assert config == {"apiUrl": stack.base_url, "wsUrl": stack.ws_url}
    assert api.get("/app/../pyproject.toml").status == 404


def test_clinician_works_an_alert_charts_and_messages_the_patient_who_sees_it_live(
    browser: Any, api: Api, stack: LocalStack, clinic: Clinic
) -> None:
    team = clinic.team
    clinician = Tab(browser, stack)
    patient = Tab(browser, stack, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        # The worklist: the open alert, acknowledged in the page and so in the API.
        clinician.sign_in(stack, team.clinician)
        page = clinician.page
        page.get_by_role("heading", name="Alerts").wait_for()
        alert = page.locator(".worklist li", has_text=clinic.patient_name).first
        alert.wait_for()
        clinician.assert_clean("alerts worklist")
        alert.get_by_role("button", name="Acknowledge").click()
        alert.get_by_role("button", name="Acknowledge").wait_for(state="detached")
        alerts = api.get("/alerts?status=acknowledged", token=team.clinician.access_token).json()["items"]
        assert [a["patient"] for a in alerts] == [team.patient_id]

        # The patient page: each chart draws exactly the readings the API returns for its period (30 days).
        started = time.perf_counter()
        alert.get_by_role("link", name=clinic.patient_name).click()
        page.locator("figure[data-device-type=heart_rate] canvas").wait_for()
        first_render_ms = (time.perf_counter() - started) * 1000
        for device_type in ("heart_rate", "blood_pressure"):
            figure = page.locator(f"figure[data-device-type={device_type}]")
            drawn = int(figure.get_attribute("data-points") or -1)
            served = _count(api, team.clinician.access_token, team.patient_id, device_type)
            assert drawn == served > 0, device_type
            assert figure.locator(".count").inner_text() == str(served)
        assert page.locator("figure[data-device-type=heart_rate] figcaption").inner_text().count("bpm") >= 1
        print(f"patient page: chart drawn {first_render_ms:.0f} ms after the click ({clinic.readings} readings)")
        clinician.assert_clean("patient page")

        # Time entry: a 12-minute interactive call.
        page.get_by_label("Kind").select_option("interaction")
        page.get_by_label("Minutes").fill("12")
        page.get_by_label("Interactive (live audio or video)").check()
        page.get_by_role("button", name="Record time").click()
        page.locator(".log li", has_text="12 min (interactive)").wait_for()

        # The patient signs in on a phone-sized screen and opens their messages.
        patient.sign_in(stack, team.patient)
        patient.page.get_by_role("link", name="Messages").click()
        patient.page.get_by_text("Welcome: I will review your readings each week.").wait_for()

        # The clinician writes, with a text attachment uploaded through the presigned URL.
        page.get_by_role("link", name="Messages").first.click()
        page.get_by_role("heading", name="Your readings").wait_for()
        body = "Your heart rate was high this morning: please rest and measure again in an hour."
        page.get_by_label("Message", exact=True).fill(body)
        page.get_by_label("Attachment (PDF, PNG, JPEG, HEIC or text; optional)").set_input_files(
            {"name": "advice.txt", "mimeType": "text/plain", "buffer": b"Rest, hydrate, measure again.\n"}
        )
        page.get_by_role("button", name="Send").click()
        page.locator(".messages .mine", has_text=body).wait_for()
        clinician.assert_clean("messages")

        # Live: the patient's page shows it without a reload.
        patient.page.locator(".messages .theirs", has_text=body).wait_for()
        patient.assert_clean("patient messages")
        sent = api.get(f"/threads/{clinic.thread_id}/messages", token=team.clinician.access_token).json()["items"]
        assert sent[0]["body"] == body
        assert len(sent[0]["attachments"]) == 1

        patient.page.get_by_role("link", name="My health").click()
        patient.page.locator("figure[data-device-type=blood_pressure] canvas").wait_for()
        patient.assert_clean("patient's own charts")
    finally:
        clinician.close()
        patient.close()


def test_a_new_alert_appears_in_the_worklist_without_a_reload(
    browser: Any, api: Api, stack: LocalStack, clinic: Clinic
) -> None:
    team = clinic.team
    tab = Tab(browser, stack)
    try:
        tab.sign_in(stack, team.clinician)
        tab.page.get_by_role("heading", name="Alerts").wait_for()
        before = tab.page.locator(".worklist li").count()
        reading = {"deviceType": "heart_rate", "dataPayload": {"bpm": 40}, "recordedAt": _now()}
        assert api.post(f"/patients/{team.patient_id}/device-data", token=team.clinician.access_token,
                        json=reading).status == 201  # fmt: skip
        stack.drain()
        tab.page.wait_for_function(f"() => document.querySelectorAll('.worklist li').length > {before}")
        assert tab.problems == []
    finally:
        tab.close()


def test_admin_sees_pending_clinicians_and_verifies_the_audit_trail(
    browser: Any, api: Api, stack: LocalStack, cast: Cast
) -> None:
    tab = Tab(browser, stack, timezone_id="UTC")  # the period's fields are local times
    try:
        admin = Account(stack.admin_email, stack.admin_password, stack.admin_user_id)
        tab.sign_in(stack, admin)
        page = tab.page
        page.get_by_role("heading", name="Administration").wait_for()
        assert page.get_by_role("heading", name="Clinicians awaiting approval").is_visible()
        tab.assert_clean("admin")
        # The verification recomputes the chain from the last anchored digest: on the suite's busy trail that can
        # outlast the test, so the test checks the request the form makes, not how long the answer takes.
        since = datetime.now(UTC) - timedelta(minutes=1)
        page.get_by_label("From").fill(since.strftime("%Y-%m-%dT%H:%M"))
        with page.expect_request(lambda r: "/audit-logs/verify" in r.url) as asked:
            page.get_by_role("button", name="Verify the audit trail").click()
        assert f"from={since.strftime('%Y-%m-%dT%H')}" in asked.value.url.replace("%3A", ":")
        page.get_by_text("Checking every entry of the period").or_(page.get_by_text("entries checked")).first.wait_for()
        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="Sign in").wait_for()
        assert page.evaluate("() => sessionStorage.length") == 0
    finally:
        tab.close()


def _count(api: Api, token: str, patient_id: str, device_type: str) -> int:
    since = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    total, cursor = 0, ""
    while True:
        query = f"deviceType={device_type}&from={since}&limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/patients/{patient_id}/device-data?{query}", token=token).json()
        total += len(page["items"])
        cursor = page["nextCursor"]
        if not cursor:
            return total


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
