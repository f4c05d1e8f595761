"""The layer contract in pyproject.toml holds, and breaking it fails with the contract's name.

handlers → use cases and sending → copy, settings and storage → rules; rules import neither the
database nor Slack nor the scheduler; nothing imports app.py. `lint-imports` (import-linter)
checks the real import graph, including imports inside functions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    for package in ("bot", "handlers", "storage", "slackstandin"):
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    shutil.copy(ROOT / "app.py", tree / "app.py")
    return tree


def test_every_contract_is_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_rule_that_imports_the_database_breaks_the_pure_rules_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    rule = tree / "bot" / "rules" / "text.py"
    rule.write_text(rule.read_text() + "\n\nfrom storage import candidates  # a rule reaching into the database\n")
    result = lint(tree)
    assert result.returncode == 1
    assert "Rules are pure: no database, no Slack, no scheduler BROKEN" in result.stdout
    assert "bot.rules.text -> storage.candidates" in result.stdout


def test_copy_that_calls_a_use_case_breaks_the_layers(tmp_path):
    tree = copy_of_the_code(tmp_path)
    copy = tree / "bot" / "copy" / "candidate.py"
    copy.write_text(copy.read_text() + "\n\nfrom bot.usecases import consent as _consent\n")
    result = lint(tree)
    assert result.returncode == 1
    assert "Layers: handlers > use cases and sending > copy, settings and storage > rules BROKEN" in result.stdout


def test_nothing_imports_the_assembly(tmp_path):
    tree = copy_of_the_code(tmp_path)
    handler = tree / "handlers" / "errors.py"
    handler.write_text(handler.read_text() + "\n\nimport app  # handlers must receive what they need\n")
    result = lint(tree)
    assert result.returncode == 1
    assert "Only app.py assembles: nothing imports app BROKEN" in result.stdout


def test_a_handler_that_imports_the_slack_standin_breaks_its_contract(tmp_path):
    """The stand-in is for `python app.py demo` and the tests; the bot itself never leans on it."""
    tree = copy_of_the_code(tmp_path)
    handler = tree / "handlers" / "events.py"
    handler.write_text(handler.read_text() + "\n\nfrom slackstandin import webapi as _webapi\n")
    result = lint(tree)
    assert result.returncode == 1
    assert "The Slack stand-in is for the demo and the tests: the bot never imports it BROKEN" in result.stdout
    assert "handlers.events -> slackstandin.webapi" in result.stdout


def test_an_import_circle_between_use_case_modules_breaks_the_no_circles_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    ledger = (
        tree / "bot" / "usecases" / "ledger.py"
    )  # consent imports the ledger; the ledger importing consent closes a circle
    ledger.write_text(ledger.read_text() + "\n\nfrom bot.usecases import consent as _consent\n")
    result = lint(tree)
    assert result.returncode == 1
    assert "No import circles among the modules of the use cases, the sender, the handlers" in result.stdout
    assert "BROKEN" in result.stdout
