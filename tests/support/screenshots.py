"""``make screenshots``: the app's main pages as PNGs (docs/screenshots/), from a fresh local stack seeded through
the API (tests.support.webapp.seed_clinic). Not part of ``make test``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra.local.stack import LocalStack  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.cast import Account, log_in, sign_up  # noqa: E402
from tests.support.webapp import launch, seed_clinic  # noqa: E402


def sign_in(page: object, stack: LocalStack, account: Account) -> None:
    page.goto(stack.app_url)  # type: ignore[attr-defined]
    page.get_by_label("Email").fill(account.email)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(account.password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.locator("[data-live=on]").wait_for()  # type: ignore[attr-defined]


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    stack = LocalStack(port=0).start()
    try:
        api = Api(stack.gateway)
        admin = log_in(api, Account(stack.admin_email, stack.admin_password, stack.admin_user_id))
        clinic = seed_clinic(api, stack, admin)
        sign_up(api, "clinician", prefix="dr-pending", display_name="Dr Grace Hopper")
        team = clinic.team
        with sync_playwright() as playwright:
            browser = launch(playwright)
            desktop = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            sign_in(desktop, stack, team.clinician)
            desktop.locator(".worklist li").first.wait_for()
            desktop.screenshot(path=str(out / "clinician-worklist.png"), full_page=True)
            desktop.get_by_role("link", name=clinic.patient_name).first.click()
            desktop.locator("figure[data-device-type=blood_pressure] canvas").wait_for()
            time.sleep(0.3)
            desktop.screenshot(path=str(out / "patient-chart.png"), full_page=True)
            desktop.get_by_role("link", name="Messages").first.click()
            desktop.locator(".messages li").first.wait_for()
            reply = "Your heart rate was high this morning: please rest and measure again."
            desktop.get_by_label("Message", exact=True).fill(reply)
            desktop.get_by_role("button", name="Send").click()
            desktop.locator(".messages .mine").nth(1).wait_for()
            desktop.screenshot(path=str(out / "messages.png"), full_page=True)
            admin_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            sign_in(admin_page, stack, admin)
            admin_page.get_by_role("button", name="Verify the audit trail").click()
            admin_page.get_by_role("status").filter(has_text="entries checked").wait_for()
            admin_page.screenshot(path=str(out / "admin.png"), full_page=True)
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
            sign_in(phone, stack, team.patient)
            phone.locator("figure[data-device-type=heart_rate] canvas").wait_for()
            time.sleep(0.3)
            phone.screenshot(path=str(out / "patient-phone.png"))
            browser.close()
    finally:
        stack.stop()
    for path in sorted(out.glob("*.png")):
        print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
