#!/usr/bin/env python3
"""Set-up and run in one command, on a machine with only Python 3.11+.

    python3 dev.py run      create .venv if needed, install Nudge, run the bot (SQLite by default)
    python3 dev.py demo     the same set-up, then the real bot against a local Slack stand-in:
                            open the URL it prints (no Slack workspace, no token, no network)
    python3 dev.py test     the same set-up, then the whole test suite (extra args go to pytest)
    python3 dev.py lint     the same set-up, then ruff (lint and format check), mypy and the import contract

The virtual environment is (re)installed whenever pyproject.toml changes; `run` and `demo` install
only the bot's own dependencies, `test` adds the test tools.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".nudge-installed"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment(*, for_tests: bool) -> Path:
    """A .venv with Nudge installed (editable), plus the test tools when `for_tests`.

    `run` and `demo` install only what the bot needs, so a first demo starts quickly; `test`
    adds the `test` extra. The stamp records pyproject.toml's digest and what was installed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on any Python 3 to say which one Nudge needs)
        sys.exit("Nudge needs Python 3.11 or newer (this is {}.{}).".format(*sys.version_info[:2]))
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = venv_python()
    if not python.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    installed = STAMP.read_text().split() if STAMP.exists() else []
    current = installed[:1] == [digest]
    if not current or (for_tests and "test" not in installed[1:]):
        extras = "test" if for_tests or (current and "test" in installed[1:]) else ""
        print(f"installing Nudge{' and its test tools' if extras else ''} into .venv …", flush=True)
        target = f"{ROOT}[{extras}]" if extras else str(ROOT)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target], check=True
        )
        STAMP.write_text(f"{digest} {extras}".strip())
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "demo", "test", "lint"):
        print(__doc__.strip())
        return 2
    python = ensure_environment(for_tests=argv[0] in ("test", "lint"))
    os.chdir(ROOT)
    if argv[0] == "lint":
        return lint(python)
    if argv[0] == "run":
        command = [str(python), "app.py", *argv[1:]]
    elif argv[0] == "demo":
        command = [str(python), "app.py", "demo", *argv[1:]]
    else:
        command = [str(python), "-m", "pytest", *argv[1:]]
    return run_in_foreground(command)


LINTERS = (
    ("ruff", "check", "."),
    ("ruff", "format", "--check", "."),
    ("mypy",),
    ("lint-imports",),
)


def lint(python: Path) -> int:
    """Every linter in turn (all of them, so one run shows every problem); non-zero if any fails."""
    failed = []
    for tool, *arguments in LINTERS:
        print(f"$ {tool} {' '.join(arguments)}".rstrip(), flush=True)
        if subprocess.call([str(python.parent / tool), *arguments]) != 0:
            failed.append(tool)
    if failed:
        print(f"lint failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def run_in_foreground(command: list[str]) -> int:
    """Run the child until it ends. Ctrl-C reaches it directly (the terminal signals the whole
    process group), so this process ignores SIGINT meanwhile and lets the child stop cleanly:
    `subprocess.call` would kill it 0.25 s after Ctrl-C, before the demo removes its data."""
    child = subprocess.Popen(command)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return child.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
