"""The demo page in a real browser: the journey a team deciding on Nudge would click through.

`python app.py demo` runs the real bot against the Slack stand-in; this test only clicks and
types in the page (as a candidate, then the admin recruiter, then the candidate again) and checks
what each person's view shows at each step — so it also proves the stand-in sends the bot the
requests Slack would (the bot answers them) and renders what the bot sends back.
"""

from __future__ import annotations

import pytest

from tests.support.browser_page import (
    be,
    click_in,
    message_with,
    open_tab,
    say,
    state_of,
    view_text,
    wait_for,
    wait_for_text,
)

pytestmark = pytest.mark.browser


def test_join_role_invite_happy_to_chat_and_stop_in_the_browser(demo, browser, tmp_path):
    driver = browser
    driver.get(demo.url + "?user=UAMARA")
    wait_for(driver, lambda d: "Amara Okafor" in d.find_element("id", "whoami").text, "the page")
    assert "Africa/Lagos" in driver.find_element("id", "whoami").text

    # Amara joins #community: the welcome DM arrives with *Count me in*; clicking it opts her in,
    # and the same message is replaced in place by the confirmation.
    driver.find_element("id", "join").click()
    welcome = message_with(driver, "Welcome to #community")
    assert "No commitment" in welcome and "Count me in" in welcome
    click_in(driver, "#dm .msg", "Welcome to #community", "Count me in")
    text = wait_for_text(driver, "You're in.")
    assert "Welcome to #community" not in text
    assert "(edited)" in text

    # Rita (admin recruiter) adds a role inline; the reply is hers alone.
    be(driver, "Rita Ortega")
    assert "Amara" not in view_text(driver)  # another person's DM, not Amara's
    say(driver, "/nudge role add Backend Engineer | Acme | Python services & APIs | python, backend")
    created = message_with(driver, "Role #1 created")
    assert "Only visible to you" in created
    assert "Backend Engineer at Acme" in created

    # The tips' commands fill the message box when clicked.
    driver.find_element("xpath", "//code[@class='try'][starts-with(., '/nudge invite')]").click()
    assert driver.find_element("id", "say").get_attribute("value") == "/nudge invite @amara 1 Thought of you"

    # What people type is shown as typed: Slack's escaping is decoded once, then HTML-escaped.
    say(driver, "hello <b>there</b> & you")
    mine = message_with(driver, "hello <b>there</b> & you")
    assert "Rita Ortega" in mine
    assert not driver.find_elements("css selector", "#dm .msg.me .block b")

    # Rita invites Amara to role #1.
    say(driver, "/nudge invite @amara 1 Your API work made me think of you")
    queued = message_with(driver, "Invitation queued for")
    assert "@Amara Okafor" in queued and "Only visible to you" in queued

    # Amara sees the invitation (sent by the scheduler inside her send window).
    be(driver, "Amara Okafor")
    invitation = message_with(driver, "wondered whether you'd be open to a relaxed conversation")
    for expected in (
        "@Rita Ortega",
        "Backend Engineer",
        "Acme",
        "Your API work made me think of you",
        "No commitment",
        "Happy to chat",
        "Tell me more",
        "Not now — ask me later",
        "Not for me",
        "Stop all invitations",
    ):
        assert expected in invitation, expected
    assert (
        "*Backend Engineer*" not in invitation
        and "Backend Engineer" in driver.find_element("css selector", "#dm .msg:last-child b").text
    )
    driver.save_screenshot(str(tmp_path / "candidate-invitation.png"))

    # *Happy to chat*: the invitation is updated in place, and a new DM asks about sharing.
    click_in(driver, "#dm .msg", "wondered whether you'd be open", "Happy to chat")
    text = wait_for_text(driver, "You said you're happy to chat about")
    assert "wondered whether you'd be open" not in text
    sharing = message_with(driver, "Yes, share my profile")
    assert "Not yet" in sharing

    # Rita is told, by name and role; her App Home shows the open role.
    be(driver, "Rita Ortega")
    told = message_with(driver, "is happy to chat about #1")
    assert "@Amara Okafor" in told and "Backend Engineer" in told
    open_tab(driver, "home")
    home = wait_for_text(driver, "Backend Engineer", "#home")
    assert "Nudge" in home
    driver.save_screenshot(str(tmp_path / "recruiter-home.png"))
    open_tab(driver, "messages")

    # Amara stops all invitations from her App Home; it says so at once.
    be(driver, "Amara Okafor")
    open_tab(driver, "home")
    home = wait_for_text(driver, "You're in.", "#home")
    click_in(driver, "#home", "You're in.", "Stop all invitations")
    home = wait_for_text(driver, "You've opted out.", "#home")
    assert "Count me in" in home

    # The modal of *Edit preferences* opens as an overlay and Cancel closes it.
    click_in(driver, "#home", "opted out", "Edit preferences")
    wait_for(driver, lambda d: d.find_element("id", "overlay").is_displayed(), "the preferences modal")
    modal = driver.find_element("id", "modal").text
    for expected in ("Companies never to hear about", "Note for companies", "Cancel", "Save"):
        assert expected in modal, expected
    driver.find_element("id", "modal-cancel").click()
    wait_for(driver, lambda d: not d.find_element("id", "overlay").is_displayed(), "the modal to close")

    # Nothing the bot sent would have been refused by Slack.
    for user in ("UAMARA", "URITA"):
        assert state_of(demo, user)["violations"] == []

    assert (tmp_path / "candidate-invitation.png").stat().st_size > 10_000
    assert (tmp_path / "recruiter-home.png").stat().st_size > 10_000
