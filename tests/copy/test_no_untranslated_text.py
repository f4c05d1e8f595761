"""No sentence reaches a person without going through gettext: a scan of copy and the handlers
for English words in string literals outside `_()`, `N_()` and `ngettext()`.

What it leaves alone, and why: docstrings; log and exception messages (operators read them);
dictionary keys (stored values, translated through their `N_` values); and the `/nudge`
usage lines, which are the command grammar and stay English by contract. The sample data of
`preview*.py` stands in for what people type.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}")
TRANSLATING = {"_", "N_", "ngettext", "usage", "CommandInfo"}
NOT_FOR_PEOPLE = {"getLogger", "debug", "info", "warning", "error", "exception", "ValueError", "RuntimeError"}


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _exempt(tree: ast.AST) -> set[int]:
    exempt: set[int] = set()
    for node in ast.walk(tree):
        covered: list[ast.AST] = []
        if isinstance(node, ast.Call) and _called(node) in TRANSLATING | NOT_FOR_PEOPLE:
            covered = [node]
        elif isinstance(node, ast.Dict):
            covered = [key for key in node.keys if key is not None]
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and (t.id == "usage" or t.id.endswith("USAGE")) for t in node.targets
        ):
            covered = [node.value]
        elif isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            covered = [first] if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) else []
        exempt.update(id(inner) for part in covered for inner in ast.walk(part))
    return exempt


def untranslated(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    exempt = _exempt(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in exempt
        and SENTENCE.search(node.value)
    ]


def _scanned() -> list[Path]:
    copy = [p for p in (ROOT / "bot" / "copy").glob("*.py") if not p.name.startswith("preview")]
    return sorted(copy + list((ROOT / "handlers").glob("*.py")))


def test_every_sentence_in_copy_and_the_handlers_goes_through_gettext():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
        for path in _scanned()
        for line, text in untranslated(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_scan_catches_a_sentence_written_straight_into_a_message():
    source = '''
def profile_refused(person):
    """Docstrings are fine."""
    log.info("operators read this one")
    ok = _("{person} said no thanks.", person=person)
    return plain(f"{person} hasn't agreed to share their details.")
'''
    assert untranslated(source) == [(6, " hasn't agreed to share their details.")]
    assert untranslated('usage = "role add Title | Company"') == []
