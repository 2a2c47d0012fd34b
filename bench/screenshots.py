"""Screenshots of every page at a desktop and a phone width, for looking at before calling UI
work done: `python -m bench.screenshots [--out DIR] [--widths 1400 390] [--data FOLDER]`.

Each page is opened from a shared link in a new browser context, the script waits until the
app is idle and every visible chart has drawn, grows the window to the main panel's full
height (Streamlit scrolls inside its own panel) and saves a full-page PNG.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from bench.server import SHIPPED_DATA, copy_shipped_data, start_server, stop_server

LINKS = {
    "overview": "/",
    "map": "/map",
    "charts": "/charts",
    "conditions": "/conditions",
    "country": "/country",
    "country-pak": "/country?country=PAK",
    "statements": "/statements",
    "sources": "/sources",
    "changes": "/changes",
}

_DRAWN = """
() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.dataset.testConnectionState !== "CONNECTED") return false;
  if (app.dataset.testScriptState !== "notRunning") return false;
  if (!document.querySelector("[data-testid='stMain'] h1")) return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;  // elements still loading
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
    .filter((chart) => chart.offsetParent !== null);
  return charts.every((chart) => chart.querySelector("svg path, canvas"));
}
"""
_HEIGHT = """
() => Math.max(document.querySelector("[data-testid='stMain']")?.scrollHeight || 0, window.innerHeight)
"""


def shoot(base_url: str, out: Path, widths: list[int], links: dict[str, str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        for width in widths:
            height = 900 if width < 800 else 1000
            for name, link in links.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              device_scale_factor=1, is_mobile=width < 800)  # fmt: skip
                page = context.new_page()
                page.goto(base_url + link)
                page.wait_for_function(_DRAWN, timeout=60_000, polling=100)
                full = min(page.evaluate(_HEIGHT), 12_000)
                page.set_viewport_size({"width": width, "height": full})
                page.wait_for_function(_DRAWN, timeout=60_000, polling=100)  # charts re-lay themselves
                path = out / f"{name}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                saved.append(path)
                context.close()
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--widths", type=int, nargs="*", default=[1400, 390])
    parser.add_argument("--data", type=Path, default=SHIPPED_DATA, help="a data folder (default: data/)")
    parser.add_argument("--only", nargs="*", help="page names (keys of LINKS)")
    args = parser.parse_args(argv)
    links = {k: v for k, v in LINKS.items() if not args.only or k in args.only}
    with tempfile.TemporaryDirectory(prefix="isf-shots-") as folder:
        data_dir = Path(folder) / "data"
        copy_shipped_data(data_dir, args.data)
        server = start_server(data_dir)
        try:
            for path in shoot(server.url, args.out, args.widths, links):
                print(path)
        finally:
            stop_server(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
