"""Driving the demo page in a browser: waiting for what it shows, being someone, typing and
clicking, as the browser tests do."""

from __future__ import annotations

import json
import urllib.request

WAIT = 30  # seconds for the bot's scheduler (a 2 s tick) and the page's 1 s polling


def wait_for(driver, condition, what: str):
    """Wait for `condition`; the page re-renders as it polls, so a stale element is retried."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, WAIT, poll_frequency=0.2, ignored_exceptions=[StaleElementReferenceException])
    return wait.until(condition, message=f"waiting for {what}")


def view_text(driver, surface: str = "#dm") -> str:
    return wait_for(driver, lambda d: d.find_element("css selector", surface).text or " ", surface)


def wait_for_text(driver, text: str, surface: str = "#dm") -> str:
    return wait_for(
        driver,
        lambda d: (lambda t: t if text in t else None)(d.find_element("css selector", surface).text),
        f"{text!r} in {surface}",
    )


def be(driver, real_name: str) -> None:
    driver.find_element("xpath", f"//nav[@id='people']/button[starts-with(normalize-space(.), '{real_name}')]").click()
    wait_for(driver, lambda d: real_name in d.find_element("id", "whoami").text, f"the page to be {real_name}'s")


def open_tab(driver, name: str) -> None:
    driver.find_element("id", f"tab-{name}").click()
    wait_for(driver, lambda d: d.find_element("id", name).is_displayed(), f"the {name} tab")


def say(driver, text: str) -> None:
    box = driver.find_element("id", "say")
    box.clear()
    box.send_keys(text)
    driver.find_element("id", "send").click()


def message_with(driver, text: str) -> str:
    """The text of the last DM message (a `.msg`) that contains `text`."""

    def found(d):
        texts = [m.text for m in d.find_elements("css selector", "#dm .msg")]
        return next((t for t in reversed(texts) if text in t), None)

    return wait_for(driver, found, f"a message with {text!r}")


def click_in(driver, scope_css: str, containing: str, label: str) -> None:
    """Click the button `label` in the last element matching `scope_css` whose text has `containing`."""

    def clicked(d):
        scopes = [e for e in d.find_elements("css selector", scope_css) if containing in e.text]
        if not scopes:
            return False
        buttons = [b for b in scopes[-1].find_elements("css selector", "button") if b.text.strip() == label]
        if not buttons:
            return False
        buttons[0].click()
        return True

    wait_for(driver, clicked, f"the button {label!r}")


def state_of(demo, user_id: str) -> dict:
    with urllib.request.urlopen(f"{demo.url}ui/state?user={user_id}", timeout=10) as response:
        return json.loads(response.read())
