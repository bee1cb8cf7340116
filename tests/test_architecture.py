"""The layout's promises: what imports without Rasa, no import cycle, no import-time side effect."""

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("smtpbot", "actions", "rasa_sdk_plugins")

# Run in a fresh interpreter: any import of Rasa's server packages (`rasa`, `rasa.*`; rasa_sdk
# is the action server's SDK and allowed) fails, then every module of smtpbot/kb and actions/
# is imported. Prints what was imported and whether the environment changed.
NO_RASA = r"""
import importlib, json, os, pkgutil, sys

class NoRasa:
    def find_spec(self, name, path=None, target=None):
        if name == "rasa" or name.startswith("rasa."):
            raise ImportError(f"{name} imported; this module must not need Rasa's server")
        return None

sys.meta_path.insert(0, NoRasa())
environ = dict(os.environ)
imported = []
for package in ("smtpbot.kb", "actions", "rasa_sdk_plugins"):
    module = importlib.import_module(package)
    imported.append(package)
    for info in pkgutil.iter_modules(module.__path__, package + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
for name in ("smtpbot.settings", "smtpbot.tickets.summary", "smtpbot.tickets.store"):
    importlib.import_module(name)
    imported.append(name)
print(json.dumps({
    "imported": imported,
    "rasa": sorted(m for m in sys.modules if m == "rasa" or m.startswith("rasa.")),
    "environ_changed": sorted(k for k in set(environ) | set(os.environ)
                              if environ.get(k) != os.environ.get(k)),
}))
"""


def test_kb_and_actions_import_without_rasa():
    """smtpbot/kb and the action server's code import with Rasa's server packages blocked,
    and importing them changes nothing in the environment (no import-time side effect)."""
    done = subprocess.run(
        [sys.executable, "-c", NO_RASA], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["rasa"] == []
    assert report["environ_changed"] == []
    for module in (
        "smtpbot.kb.knowledge",
        "smtpbot.kb.resolver",
        "smtpbot.kb.headers",
        "smtpbot.kb.facts",
        "actions.identify",
        "actions.support",
        "actions.handoff",
        "actions.resolution",
        "actions.walkthrough",
        "rasa_sdk_plugins",
    ):
        assert module in report["imported"]


def module_name(path: Path) -> str:
    """smtpbot/kb/knowledge.py -> smtpbot.kb.knowledge; a package's __init__ -> the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> Dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def imports_of(name: str, path: Path, modules: Set[str]) -> Set[str]:
    """The project modules `name` imports, anywhere in the file (a deferred import inside a
    function is still a dependency), except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in ast.walk(node)
    }
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: Set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import mod` depends on the module pkg.mod when there is one.
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def find_cycle(graph: Dict[str, Set[str]]) -> List[str]:
    """One import cycle of the graph (as a path that ends where it starts), or []."""
    state: Dict[str, int] = {}  # 1: on the current path, 2: done
    path: List[str] = []

    def visit(node: str) -> List[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return []


def test_find_cycle_finds_one():
    """The checker itself: a cycle is found and shown, an acyclic graph passes."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle():
    """No module of smtpbot/, actions/ or rasa_sdk_plugins/ imports itself through others."""
    modules = project_modules()
    assert {"actions.identify", "actions.support", "smtpbot.kb.knowledge"} <= set(modules)
    graph = {name: imports_of(name, path, set(modules)) for name, path in modules.items()}
    assert "actions.handoff" in graph["actions.support"]  # the checker sees real imports
    assert find_cycle(graph) == [], "import cycle: " + " -> ".join(find_cycle(graph))


def test_actions_are_documented_typed_and_independent():
    """In actions/: every class and function has a docstring, every `run` is typed
    `-> List[EventType]`, and no code calls another action's `run` (they share functions)."""
    problems = []
    for path in sorted((ROOT / "actions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        if not ast.get_docstring(tree):
            problems.append(f"{where}: no module docstring")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if not ast.get_docstring(node):
                    problems.append(f"{where}:{node.lineno} {node.name}: no docstring")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "run":
                returns = ast.unparse(node.returns) if node.returns else None
                if returns != "List[EventType]":
                    problems.append(f"{where}:{node.lineno} run returns {returns}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "run"
                and isinstance(node.func.value, ast.Call)  # ActionX().run(...)
            ):
                problems.append(f"{where}:{node.lineno} calls {ast.unparse(node.func)}")
    assert problems == []
