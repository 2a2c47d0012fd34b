"""`pip install .` (not editable) works from the checkout: the installed package finds the
checkout's data/, static/ and pages/ (app.py says where it is), and reports clearly when it
runs outside one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ledger_rows import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built as a wheel and installed (not editable) into a folder of its own."""
    folder = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(folder), str(ROOT)], check=True, capture_output=True
    )
    wheel = next(folder.glob("isf_tracker-*.whl"))
    target = folder / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True, capture_output=True
    )
    return target


def run(installed: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("ISF_TRACKER_DATA", None)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_the_wheel_holds_the_navigation_script_and_no_benchmark(installed):
    package = installed / "isf_tracker"
    assert (package / "ui" / "navigation.py").is_file()
    assert not (package / "bench").exists() and not (installed / "bench").exists()


def test_the_installed_package_finds_the_checkout_it_runs_in(installed):
    done = run(installed, ["-c", "import isf_tracker, isf_tracker.paths as p; print(isf_tracker.__file__); "
                                 "print(p.positions_path())"], ROOT)  # fmt: skip
    module, ledger = done.stdout.split()
    assert module.startswith(str(installed))
    assert Path(ledger) == ROOT / "data" / "positions.csv"
    assert run(installed, ["-m", "isf_tracker", "validate"], ROOT).returncode == 0


def test_app_py_names_its_folder_as_the_checkout(installed, tmp_path):
    code = (
        "import runpy, isf_tracker.paths as p; runpy.run_path('app.py'); print(p.pages_dir(), p.static_dir())"
    )
    done = run(installed, ["-c", code], ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(ROOT / "pages"), str(ROOT / "static")]


def test_outside_a_checkout_the_command_says_where_the_ledger_comes_from(installed, tmp_path):
    done = run(installed, ["-m", "isf_tracker", "validate"], tmp_path)
    assert done.returncode == 2
    assert "run it in the checkout" in done.stderr and "ISF_TRACKER_DATA" in done.stderr
