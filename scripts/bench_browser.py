"""Benchmark (not a test): what a person in the meeting waits for, in Chromium.

Builds the same two SQLite portfolios as ``scripts/bench_pages.py`` (10 projects; 1,000 projects
plus the large one), starts one real ``streamlit run`` on each, and drives Debian's Chromium
through Playwright, interleaving the two portfolios round by round so a busy machine hits both
alike:

- **first load**: a new browser session opening the Portfolio until its table is on screen and
  the script is idle;
- **typing to render**: a search typed into the Portfolio's search box until the table shows
  only the matching project;
- **page switch**: Portfolio → Experiments of the typical project through the sidebar, until the
  Experiments heading is shown and the script is idle;
- **first deep link** after a start: whether ``/experiments?project=N`` showed "Page not found";
- the server's memory (resident set) after one session visited every page, and with 20
  sessions open.

Targets (issue 14): first load ≤ 2 s, typing-to-render ≤ 1 s, page switch ≤ 1 s.

    PYTHONPATH=. .venv/bin/python scripts/bench_browser.py [--projects 1000] [--runs 5]
        [--json test-artifacts/bench_browser.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TARGETS_MS = {"first load": 2000.0, "typing to render": 1000.0, "page switch": 1000.0}
APP_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]');
}"""
PAGE_TITLES: dict[str, str | None] = {
    "portfolio": "Portfolio",
    "charter": None,  # the project's name
    "assessment": "Should we use ML?",
    "estimates": "Cost & value",
    "risks": "Risks",
    "experiments": "Experiments",
    "parking_lot": "Parking lot",
    "interviews": "SME interviews",
    "demos": "Demo plan",
    "report": "Scoping report",
}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One `streamlit run app.py` on its own database."""

    def __init__(self, database_url: str, today: str, log_path: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "WORKBENCH_DATABASE_URL": database_url,
            "WORKBENCH_TODAY": today,
        }
        self.log = open(log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(self.port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            try:
                self.process.wait(timeout=0.3)
                raise SystemExit(f"streamlit stopped: see {log_path}")
            except subprocess.TimeoutExpired:
                continue
        raise SystemExit(f"streamlit did not start in 90 s: see {log_path}")

    def rss_mb(self) -> float:
        """The server's resident memory in MB (its process only)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _idle(page) -> None:
    page.wait_for_function(APP_IDLE, timeout=120_000)


def _heading(page, title: str):
    return page.get_by_role("heading", name=title, exact=True).first


def first_load(browser, server: Server, project: int) -> tuple[float, Any, Any]:
    """A new session opening the Portfolio: ms until its table shows and the script is idle."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    start = time.perf_counter()
    page.goto(f"{server.url}/?project={project}")
    page.get_by_test_id("stDataFrame").first.wait_for(state="visible")
    _idle(page)
    return (time.perf_counter() - start) * 1000, context, page


def typing_to_render(page, name: str) -> float:
    """ms from pressing Enter in the Portfolio's search to the filtered table being shown."""
    box = page.get_by_role("textbox", name="Search", exact=True)
    box.fill(name)
    start = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(
        """(name) => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
                       .map(e => Number(e.textContent)).reduce((a, b) => a + b, 0) === 1""",
        arg=name,
    )
    _idle(page)
    elapsed = (time.perf_counter() - start) * 1000
    box.fill("")
    box.press("Enter")
    _idle(page)
    return elapsed


def page_switch(page, server: Server, project: int) -> float:
    """ms from clicking Experiments in the sidebar to its page being shown and idle."""
    page.goto(f"{server.url}/?project={project}")
    _heading(page, "Portfolio").wait_for()
    _idle(page)
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name="Experiments")
    start = time.perf_counter()
    link.click()
    _heading(page, "Experiments").wait_for()
    _idle(page)
    return (time.perf_counter() - start) * 1000


def deep_link_not_found(browser, server: Server, project: int) -> bool:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{server.url}/experiments?project={project}")
    _heading(page, "Experiments").wait_for()
    _idle(page)
    shown = page.get_by_text("Page not found").count() > 0
    context.close()
    return shown


def visit_every_page(browser, server: Server, project: int, name: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(180_000)
    for path, title in PAGE_TITLES.items():
        address = "/" if path == "portfolio" else f"/{path}"
        page.goto(f"{server.url}{address}?project={project}")
        _heading(page, title or name).wait_for()
        _idle(page)
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", default=str(ROOT / "test-artifacts" / "bench_browser.json"))
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is not installed (Debian's chromium)")

    from playwright.sync_api import sync_playwright

    from scripts import bench_data
    from scripts.bench_pages import build
    from workbench import clock

    today = clock.today()
    folder = Path(tempfile.mkdtemp(prefix="workbench-bench-browser-"))
    servers: dict[str, Server] = {}
    try:
        small_url, big_url, typical, large, total, built = build(
            "sqlite", folder, args.projects, today, None
        )
        print(f"built {total} projects in {built:.1f} s", file=sys.stderr)
        servers["small"] = Server(small_url, today.isoformat(), folder / "small.log")
        servers["big"] = Server(big_url, today.isoformat(), folder / "big.log")
        # (server, project, its name) per case; the large project lives in the big portfolio
        cases = {
            "10 projects": ("small", typical, bench_data.project_name(1)),
            f"{total:,} projects": ("big", typical, bench_data.project_name(1)),
            "large project": ("big", large, bench_data.LARGE_NAME),
        }
        results: dict[str, Any] = {
            "cores": os.cpu_count(),
            "load_average_before": os.getloadavg(),
            "runs": args.runs,
            "cases": {},
        }
        samples: dict[str, dict[str, list[float]]] = {
            case: {name: [] for name in TARGETS_MS} for case in cases
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            deep = {
                case: deep_link_not_found(browser, servers[key], project)
                for case, (key, project, _) in cases.items()
            }
            for round_ in range(args.runs):
                for case, (key, project, name) in cases.items():  # interleaved
                    load_ms, context, page = first_load(browser, servers[key], project)
                    samples[case]["first load"].append(load_ms)
                    samples[case]["typing to render"].append(typing_to_render(page, name))
                    samples[case]["page switch"].append(page_switch(page, servers[key], project))
                    context.close()
                print(f"round {round_ + 1}/{args.runs} done", file=sys.stderr)
            memory: dict[str, dict[str, float]] = {}
            for case, (key, project, name) in cases.items():
                server = servers[key]
                visit_every_page(browser, server, project, name)
                after_pages = server.rss_mb()
                opened = [first_load(browser, server, project) for _ in range(20)]
                with_20 = server.rss_mb()
                for _, context, _ in opened:
                    context.close()
                memory[case] = {"after every page": after_pages, "20 sessions open": with_20}
            browser.close()
        results["load_average_after"] = os.getloadavg()
        for case in cases:
            results["cases"][case] = {
                **{name: statistics.median(values) for name, values in samples[case].items()},
                "samples": samples[case],
                "deep link showed 'Page not found'": deep[case],
                "server memory MB": memory[case],
            }
        lines = [
            f"Browser benchmark — {results['cores']} cores, load average "
            f"{results['load_average_before'][0]:.2f} before, "
            f"{results['load_average_after'][0]:.2f} after; median of {args.runs}",
            "",
            "| measure | target | " + " | ".join(cases) + " |",
            "|---|---|" + "---|" * len(cases),
        ]
        for name, target in TARGETS_MS.items():
            row = [f"{results['cases'][case][name]:,.0f} ms" for case in cases]
            lines.append(f"| {name} | ≤ {target:,.0f} ms | " + " | ".join(row) + " |")
        for label in ("after every page", "20 sessions open"):
            row = [f"{results['cases'][case]['server memory MB'][label]:,.0f} MB" for case in cases]
            lines.append(f"| server memory, {label} | | " + " | ".join(row) + " |")
        row = [
            "yes" if results["cases"][case]["deep link showed 'Page not found'"] else "no"
            for case in cases
        ]
        lines.append("| first deep link shows 'Page not found' | no | " + " | ".join(row) + " |")
        print("\n".join(lines))
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
