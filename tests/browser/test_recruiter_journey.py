"""The recruiter's journey in a real browser, as Slack's own surfaces offer it: the *New role*
shortcut, *Invite to a conversation* on a #community message, the invite modal, the invitation
answered, then App Home's role menu → *Pipeline* → a stage chosen from its select.

Screenshots of the invite modal and the recruiter's App Home are saved in `artifacts/browser/`
(git-ignored) for anyone reviewing what a recruiter sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser_page import be, click_in, message_with, open_tab, say, state_of, wait_for, wait_for_text

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


def modal_text(driver, text: str) -> str:
    return wait_for_text(driver, text, "#modal")


def field(driver, block_id: str, tag: str = "input"):
    return driver.find_element("css selector", f"#modal .block.input[data-block-id='{block_id}'] {tag}")


def choose(element, text: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(element).select_by_visible_text(text)


def close_modal(driver) -> None:
    driver.find_element("id", "modal-cancel").click()
    wait_for(driver, lambda d: not d.find_element("id", "overlay").is_displayed(), "the modal to close")


def test_shortcut_invite_modal_invitation_and_stage_select_in_the_browser(demo, browser):
    driver = browser
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.get(demo.url + "?user=UAMARA")
    wait_for(driver, lambda d: "Amara Okafor" in d.find_element("id", "whoami").text, "the page")
    say(driver, "/nudge join")
    message_with(driver, "You're in")

    # Rita opens *New role* from the composer's shortcut menu and fills the form.
    be(driver, "Rita Ortega")
    driver.find_element("id", "shortcuts").click()
    click_in(driver, "#shortcut-menu", "New role", "New role")
    modal_text(driver, "Title")
    field(driver, "title").send_keys("Backend Engineer")
    field(driver, "company").send_keys("Acme")
    field(driver, "tags").send_keys("python, backend")
    field(driver, "pay_range").send_keys("€80–95k")
    driver.find_element("id", "modal-submit").click()
    modal_text(driver, "Role #1 created")
    close_modal(driver)

    # In #community, *Invite to a conversation* on Amara's message opens the invite modal with
    # her already chosen.
    driver.find_element("id", "tab-channel").click()
    wait_for(driver, lambda d: "Shipped the new payments API" in d.find_element("id", "community").text, "#community")
    amara_says = next(m for m in driver.find_elements("css selector", "#community .msg") if "payments API" in m.text)
    amara_says.find_element("css selector", "button.more").click()
    click_in(driver, "#community .msg", "payments API", "Invite to a conversation")
    modal_text(driver, "Invite candidates")
    people = field(driver, "invite_people", "select")
    assert [o.text for o in people.find_elements("css selector", "option:checked")] == ["Amara Okafor"]
    choose(field(driver, "invite_role", "select"), "#1 Backend Engineer · Acme")
    field(driver, "invite_note", "textarea").send_keys("Your payments API post made me think of you")
    driver.save_screenshot(str(ARTIFACTS / "invite-modal.png"))
    driver.find_element("id", "modal-submit").click()
    modal_text(driver, "1 person checked")
    close_modal(driver)
    open_tab(driver, "messages")
    queued = message_with(driver, "Invitation queued for")
    assert "@Amara Okafor" in queued and "Backend Engineer" in queued

    # Amara gets the invitation and is happy to chat.
    be(driver, "Amara Okafor")
    message_with(driver, "Your payments API post made me think of you")
    click_in(driver, "#dm .msg", "wondered whether you'd be open", "Happy to chat")
    wait_for_text(driver, "You said you're happy to chat about")

    # Rita's App Home: *Recruiting* first, the role with its menu; *Pipeline* → a stage.
    be(driver, "Rita Ortega")
    open_tab(driver, "home")
    home = wait_for_text(driver, "accepted 1", "#home")
    assert home.index("Recruiting") < home.index("You haven't joined")
    for label in ("New role", "Invite candidates", "Find matches", "Backend Engineer at Acme"):
        assert label in home, label
    driver.save_screenshot(str(ARTIFACTS / "recruiter-home.png"))
    menu = driver.find_element("css selector", "#home select.sel")
    choose(menu, "Pipeline")
    modal_text(driver, "Pipeline for")
    choose(driver.find_element("css selector", "#modal select.sel"), "conversation")
    modal_text(driver, "is now at conversation")
    driver.save_screenshot(str(ARTIFACTS / "pipeline-stage.png"))

    for user in ("UAMARA", "URITA"):
        assert state_of(demo, user)["violations"] == []
    assert (ARTIFACTS / "invite-modal.png").stat().st_size > 10_000
    assert (ARTIFACTS / "recruiter-home.png").stat().st_size > 10_000
