"""`python -m bench.screenshots --out DIR [--only PAGE ...] [--widths 1400 390] [--data FOLDER]`: every
page at a desktop and a phone width, for looking at before calling UI work done. Each page opens in a
new context and settles as the benchmark waits for it; Streamlit scrolls inside its own panel, so the
window is grown to the main panel's full height before the full-page PNG is taken."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench import browser, server

LINKS = {**browser.app_pages(), "country-pak": "/country?country=PAK", "add": "/add",
         "map-pak-idn": "/map?country=PAK&country=IDN", "overview-as-of": "/?as_of=2025-12-31"}  # fmt: skip
HEIGHT = "Math.max(document.querySelector(\"[data-testid='stMain']\")?.scrollHeight || 0, innerHeight)"


async def shoot(url: str, out: Path, widths: list[int], links: dict[str, str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    async with browser.chromium() as chromium:
        for width in widths:
            for name, link in links.items():
                size = {"width": width, "height": 900 if width < 800 else 1000}
                async with browser.fresh(chromium, viewport=size, is_mobile=width < 800) as watch:
                    await watch.page.goto(url + link)
                    await watch.settle()
                    height = min(await watch.page.evaluate(HEIGHT), 12_000)
                    await watch.page.set_viewport_size({"width": width, "height": height})
                    await watch.settle()  # the charts lay themselves out again
                    saved.append(out / f"{name}-{width}.png")
                    await watch.page.screenshot(path=saved[-1], full_page=True)
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--widths", type=int, nargs="*", default=[1400, 390])
    parser.add_argument(
        "--data", type=Path, default=server.SHIPPED_DATA, help="a data folder (default: data/)"
    )
    parser.add_argument("--only", nargs="*", choices=list(LINKS), help="page names (default: all)")
    args = parser.parse_args(argv)
    links = {name: link for name, link in LINKS.items() if not args.only or name in args.only}
    with tempfile.TemporaryDirectory(prefix="isf-shots-") as folder:
        app = server.start_server(server.copy_shipped_data(Path(folder) / "data", args.data).parent)
        try:
            for path in asyncio.run(shoot(app.url, args.out, args.widths, links)):
                print(path)
        finally:
            server.stop_server(app)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
