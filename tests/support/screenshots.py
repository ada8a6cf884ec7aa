"""``make screenshots``: the app's main pages as PNGs (docs/screenshots/), from a fresh local stack holding the demo
practice (``make demo``'s, ``infra.local.demo``: loaded through the API and the IoT publish path, about 4 minutes).
Prints how long the patient page took to draw its 90-day charts. Not part of ``make test``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra.local import demo  # noqa: E402
from infra.local.demo_cohort import CLINICIANS, NAMES, PASSWORD  # noqa: E402
from infra.local.stack import LocalStack  # noqa: E402
from tests.support.cast import Account  # noqa: E402
from tests.support.webapp import launch  # noqa: E402


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
        summary = demo.load(stack)
        print("\n".join(summary.lines()))
        admin = Account(stack.admin_email, stack.admin_password, stack.admin_user_id)
        clinician = Account(CLINICIANS[0].email, PASSWORD, "")
        patient_name = NAMES[0]  # Dr Okafor's first patient, with blood pressure readings
        patient = Account(summary.logins[-3][1], PASSWORD, "")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            desktop = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            sign_in(desktop, stack, clinician)
            desktop.locator(".worklist li").first.wait_for()
            desktop.screenshot(path=str(out / "clinician-worklist.png"), full_page=True)
            started = time.perf_counter()
            desktop.get_by_role("link", name=patient_name).first.click()
            desktop.get_by_role("button", name="90 days").click()
            desktop.locator("figure[data-device-type=blood_pressure] canvas").wait_for()
            print(f"patient page with 90 days of readings drawn in {time.perf_counter() - started:.2f} s")
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
            admin_page.get_by_role("status").filter(has_text="entries checked").wait_for(timeout=240_000)
            admin_page.screenshot(path=str(out / "admin.png"), full_page=True)
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
            sign_in(phone, stack, patient)
            phone.locator("figure[data-device-type=blood_pressure] canvas").wait_for()
            time.sleep(0.3)
            phone.screenshot(path=str(out / "patient-phone.png"))
            browser.close()
    finally:
        stack.stop()
    for path in sorted(out.glob("*.png")):
        print(path)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
