"""The operations page in headless Debian chromium (chromium-driver + selenium): a real kiosk process
shows up online, a clicked command reaches it and is acknowledged, and when the process is killed
the broker's last will turns its row offline."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
KIOSK = "GD-SG-ZJ-0001"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
WAIT_S = 90  # generous for a loaded 2-core machine; the waits end as soon as the page shows it


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("Debian chromium and chromium-driver are needed (tools/setup.sh installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1600,900", f"--user-data-dir={tmp_path / 'chromium'}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def kiosk_process(hub, tmp_path: Path) -> Iterator[subprocess.Popen]:
    """The real `kiosk` application (offscreen), pointed at the hub, fleet on."""
    env = {**os.environ, **hub.kiosk_env(), "QT_QPA_PLATFORM": "offscreen",
           "KIOSK_DEVICES__SCANNER__ENABLED": "false", "KIOSK_DEVICES__CAMERA__ENABLED": "false",
           "KIOSK_DEVICES__SSCARD__ENABLED": "false", "KIOSK_STATE_DIR": str(tmp_path / "state"),
           "KIOSK_LOG_DIR": str(tmp_path / "log"), "KIOSK_BACKEND__OUTBOX_DB": str(tmp_path / "outbox.sqlite3"),
           "KIOSK_BACKEND__CACHE_DB": str(tmp_path / "catalogue.sqlite3"), "KIOSK_FLEET__HEARTBEAT_S": "5"}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.app", "--windowed"], env=env,
                            stdout=subprocess.DEVNULL, stderr=(tmp_path / "kiosk.err").open("w"))
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)


def _row_attr(driver, css: str, attr: str) -> str | None:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    try:
        return driver.find_element("css selector", css).get_attribute(attr)
    except (NoSuchElementException, StaleElementReferenceException):
        return None


def test_the_page_shows_a_real_kiosk_runs_a_clicked_command_and_sees_it_die(hub, browser, kiosk_process,
                                                                             tmp_path: Path) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    row = f"#kiosk-{KIOSK}"
    driver.get(hub.ops_page)
    wait = WebDriverWait(driver, WAIT_S, poll_frequency=0.2)
    wait.until(lambda d: _row_attr(d, row, "data-status") == "online", "the kiosk's row online")
    assert "printer" in driver.find_element("css selector", f"{row} .devices").text

    def click_refresh(d) -> bool:
        try:
            d.find_element("css selector", f'{row} button[data-command="refresh_catalogue"]').click()
            return True
        except StaleElementReferenceException:  # the row was rebuilt under the pointer: click again
            return False

    wait.until(click_refresh, "the refresh button clicked")
    wait.until(lambda d: _row_attr(d, f"{row} .last-command", "data-status") == "done", "the kiosk's ack")
    last = driver.find_element("css selector", f"{row} .last-command").text
    assert "refresh_catalogue: done" in last and "version" in last
    driver.save_screenshot(str(tmp_path / "ops-online.png"))

    kiosk_process.send_signal(signal.SIGKILL)  # no goodbye: only the broker's last will can tell
    kiosk_process.wait(30)
    wait.until(lambda d: _row_attr(d, row, "data-status") == "offline", "the row offline by the last will")
    assert "connection lost" in driver.find_element("css selector", f"{row} .state").text
    driver.find_element("id", "only-problems").click()
    wait.until(lambda d: _row_attr(d, row, "data-problem") == "true", "the problem filter keeps it")
    driver.save_screenshot(str(Path(os.environ.get("OPS_SCREENSHOT_DIR", tmp_path)) / "ops-offline.png"))
