"""Render the README's pictures of the two HTML views: docs/network.png and docs/timeline.png.

    .venv/bin/python docs/screenshot.py                 # ingest seeds/ into a temporary store
    .venv/bin/python docs/screenshot.py --store kg-store  # or use a store you already have

Each page is written by the real command line (``kg viz``), opened from file:// in headless
Chromium (1400x900, network blocked) and photographed with one item clicked, so the evidence
panel is filled: the Islamic Movement of Uzbekistan in the network, the Lakkon border post raid
on the timeline. Needs Chromium and chromedriver (Debian: apt-get install chromium
chromium-driver) and selenium (pip install -e '.[dev]').
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1400,900",
         "--host-resolver-rules=MAP * ~NOTFOUND"]
WIDTH, HEIGHT = 1400, 900
NODE = "Islamic Movement of Uzbekistan"
EVENT = "Lakkon"


def kg(*args: object) -> None:
    if subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT).returncode != 0:
        raise SystemExit(f"kg {args[0]} failed (see above)")


def browser(chromium: str, chromedriver: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in FLAGS:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(chromedriver), options=opts)
    # exactly 1400x900 CSS pixels of page, whatever the window decorations
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    return driver


def wait_ready(driver, timeout: float = 60) -> None:
    start = time.monotonic()
    while not driver.execute_script("return window.kgReady === true"):
        if time.monotonic() - start > timeout:
            raise SystemExit("the page did not get ready in time")
        time.sleep(0.1)


def shoot_network(driver, page: Path, png: Path) -> None:
    driver.get(page.resolve().as_uri())
    wait_ready(driver)
    ok = driver.execute_script("""var name = arguments[0];
        var hit = kgNetwork.body.data.nodes.get().filter(function (n) { return n.label === name; })[0];
        if (!hit) { return false; }
        kgNetwork.selectNodes([hit.id]); kgShowNode(hit.id); return true;""", NODE)
    if not ok:
        print(f"note: no node named {NODE!r}; the panel shows its hint", file=sys.stderr)
    time.sleep(0.3)
    driver.save_screenshot(str(png))


def shoot_timeline(driver, page: Path, png: Path) -> None:
    driver.get(page.resolve().as_uri())
    wait_ready(driver)
    ok = driver.execute_script("""var word = arguments[0];
        var events = JSON.parse(document.getElementById("kg-data").textContent).events;
        for (var i = 0; i < events.length; i++) {
          if (events[i].label.indexOf(word) >= 0) {
            document.querySelector('g.marker[data-index="' + i + '"]').dispatchEvent(new MouseEvent("click"));
            return true;
          }
        }
        return false;""", EVENT)
    if not ok:
        print(f"note: no event with {EVENT!r} in its name; the panel shows its hint", file=sys.stderr)
    time.sleep(0.3)
    driver.save_screenshot(str(png))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="a kg store to draw (default: ingest seeds/ into a temporary one)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for network.png and timeline.png")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = args.store
        if store is None:
            store = work / "store"
            kg("ingest", ROOT / "seeds", "--store", store, "--quiet")
        kg("viz", "-o", work / "network.html", "--store", store)
        kg("viz", "--timeline", "-o", work / "timeline.html", "--store", store)
        driver = browser(args.chromium, args.chromedriver)
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            shoot_network(driver, work / "network.html", args.out / "network.png")
            shoot_timeline(driver, work / "timeline.html", args.out / "timeline.png")
        finally:
            driver.quit()
    print(f"wrote {args.out / 'network.png'} and {args.out / 'timeline.png'}")


if __name__ == "__main__":
    main()
