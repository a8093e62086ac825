"""Layers point one way: the core is Qt-free, only the Qt shell imports kiosk.ui, no import
cycles (imports inside functions count; only ``if TYPE_CHECKING:`` blocks are exempt), and
start-up imports only what the first screen needs."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kiosk"
# modules outside kiosk/ui that may import kiosk.ui: the entry points
ENTRY = {"kiosk.app", "kiosk.preview", "kiosk.screenshot", "kiosk.__main__"}
# the pure core: no Qt at all
CORE = {"kiosk.config", "kiosk.deck", "kiosk.render", "kiosk.session", "kiosk.idle", "kiosk.sheet",
        "kiosk.printing", "kiosk.strings", "kiosk.check", "kiosk.parity", "kiosk.plain_language",
        "kiosk.readability", "kiosk.swipe", "kiosk.demo", "kiosk.pin", "kiosk.stats", "kiosk.visits",
        "kiosk.deckstore", "kiosk.paths", "kiosk.resources", "kiosk.logs", "kiosk.cli", "kiosk.display"}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth, resolved to absolute names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - child.level + 1]
                    mod = ".".join(base + ([child.module] if child.module else []))
                else:
                    mod = child.module or ""
                found.add(mod)
                for a in child.names:  # "from . import sheet" imports kiosk.sheet
                    found.add(f"{mod}.{a.name}")
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {m: {i for i in imports_of(p) if i in modules and i != m} for m, p in modules.items()}


def test_no_import_cycles_in_the_package():
    g = graph()
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(g[m]):
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                walk(n)
        stack.pop()
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            walk(m)
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles)


def test_only_the_qt_shell_and_entry_points_import_kiosk_ui():
    offenders = []
    for m, deps in graph().items():
        if m.startswith("kiosk.ui") or m in ENTRY:
            continue
        bad = sorted(d for d in deps if d == "kiosk.ui" or d.startswith("kiosk.ui."))
        if bad:
            offenders.append(f"{m} imports {', '.join(bad)}")
    assert offenders == []


def test_the_core_never_imports_qt():
    offenders = []
    for p in PACKAGE.glob("*.py"):
        m = module_name(p)
        if m in CORE:
            qt = sorted(i for i in imports_of(p) if i.split(".")[0] in ("PySide6", "shiboken6"))
            if qt:
                offenders.append(f"{m} imports {', '.join(qt)}")
    assert offenders == []


def test_start_up_imports_only_what_the_first_screen_needs():
    code = (
        "import sys\n"
        "from kiosk.app import make_app\n"
        "from kiosk.config import Config\n"
        "from kiosk.deck import load_deck\n"
        "from kiosk.resources import bundled_content\n"
        "app = make_app()\n"
        "from kiosk.ui.window import KioskWindow\n"
        "w = KioskWindow(load_deck(bundled_content()), Config())\n"
        "w.show(); app.processEvents()\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('kiosk', 'segno', 'pypdf', 'sqlite3')))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    later = {"kiosk.ui.staff", "kiosk.ui.print_panel", "kiosk.printing", "kiosk.pin", "kiosk.sheet",
             "kiosk.sheet_render", "segno", "kiosk.preview", "kiosk.ui.usage_page", "kiosk.check"}
    assert loaded & later == set(), sorted(loaded & later)
    assert "kiosk.ui.window" in loaded
