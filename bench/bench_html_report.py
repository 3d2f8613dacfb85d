"""The HTML report of a workspace: its size, the time to write it, and how fast a real browser shows it.

    .venv/bin/python bench/bench_html_report.py workspace/tab_privacy [--data data/tab/test_data.jsonl]

Writes WORKSPACE/report/report.html (or --out), then opens it from disk in headless Chromium (Debian's
``chromium`` and ``chromium-driver``, driven by selenium) --runs times and prints the time from the start
of navigation to the ranking table being drawn (the page's ``ranking-visible`` performance mark, set on
the first animation frame after the whole page was built): the median and the slowest. ``--screenshot
PATH`` saves the first run's window. The test suite (tests/test_html_report.py) uses ``chromium()``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVERS = ("chromedriver",)


def find_browser() -> tuple[str, str] | str:
    """(browser, driver) paths, or why none is usable: $CHROME_BIN / $CHROMEDRIVER first, then PATH."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -r requirements/test.txt)"
    browser = os.environ.get("CHROME_BIN") or next(filter(None, map(shutil.which, BROWSERS)), None)
    driver = os.environ.get("CHROMEDRIVER") or next(filter(None, map(shutil.which, DRIVERS)), None)
    if not browser or not driver:
        return ("no headless browser: install Debian's chromium and chromium-driver "
                "(apt-get install -y chromium chromium-driver)")
    return browser, driver


def chromium(width: int = 1400, height: int = 1000):
    """A headless Chromium under selenium (the caller quits it); no network is needed or used."""
    found = find_browser()
    if isinstance(found, str):
        raise RuntimeError(found)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-extensions", f"--window-size={width},{height}"):
        options.add_argument(arg)
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium manager: never try to download a driver
    return webdriver.Chrome(options=options, service=Service(found[1]))


def render_ms(driver, url: str, timeout: float = 30.0) -> float:
    """Open ``url`` and return the page's ``ranking-visible`` mark, in ms since navigation started."""
    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        marks = driver.execute_script("return performance.getEntriesByName('ranking-visible').map(e => e.startTime)")
        if marks:
            return float(marks[0])
        time.sleep(0.02)
    raise TimeoutError(f"{url}: the ranking was not drawn within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workspace")
    p.add_argument("--data", help="the job's dataset (default: data/tab/test_data.jsonl where it exists)")
    p.add_argument("--out", help="the HTML file (default: WORKSPACE/report/report.html)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--screenshot", help="save the first run's window to this PNG")
    args = p.parse_args(argv)

    from privacy_edge.report_html import report_data, write_html

    started = time.perf_counter()
    out = write_html(args.workspace, args.out, args.data)
    written = time.perf_counter() - started
    data = report_data(args.workspace, args.data)
    samples = sum(len(c["samples"]) for c in data["cases"])
    size = out.stat().st_size
    print(f"file: {out}")
    print(f"size: {size} bytes ({size / 1024:.0f} KiB) for {len(data['cases'])} test cases, {len(data['docs'])} "
          f"documents, {samples} samples; written in {written:.2f} s")
    found = find_browser()
    if isinstance(found, str):
        print(f"render: not measured: {found}")
        return 0
    driver = chromium()
    try:
        times = []
        for k in range(args.runs):
            times.append(render_ms(driver, out.resolve().as_uri()))
            if k == 0 and args.screenshot:
                driver.save_screenshot(args.screenshot)
        version = driver.capabilities.get("browserVersion", "?")
    finally:
        driver.quit()
    print(f"render: ranking visible after {statistics.median(times):.0f} ms (median of {len(times)}; slowest "
          f"{max(times):.0f} ms), headless Chromium {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
