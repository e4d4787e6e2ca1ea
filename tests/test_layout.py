"""The package layout: no import circles, dependencies pointing down the
pipeline, small modules, no module-global mutable state."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "rosc"
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every rosc module ``name`` imports, at module level or inside a
    function (a lazy import is still a dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and target != "rosc":
                out.add(target)
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in GRAPH[v]:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_the_import_walk_sees_the_pipeline():
    # the walk itself must work, or the cycle test below proves nothing
    assert "rosc.syntax.parser" in GRAPH["rosc.lint.engine"]
    assert "rosc.syntax.statements" in GRAPH["rosc.syntax.menu_context"]  # a lazy import counts
    assert len(MODULES) > 40


def test_no_import_circles():
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle():
    GRAPH["rosc.syntax.tree"].add("rosc.lint.engine")
    try:
        assert any("rosc.syntax.tree" in c for c in _cycles())
    finally:
        GRAPH["rosc.syntax.tree"].discard("rosc.lint.engine")


# What each layer may import, besides the shared base (rosc.diagnostics,
# rosc.resources) and itself.  Dependencies point down the pipeline.
LAYERS = {
    "rosc.vocabulary": set(),
    "rosc.syntax": {"rosc.vocabulary"},
    "rosc.format": {"rosc.vocabulary", "rosc.syntax"},
    "rosc.model": {"rosc.vocabulary", "rosc.syntax"},
    "rosc.checks": {"rosc.vocabulary", "rosc.syntax", "rosc.model"},
    "rosc.lint": {"rosc.vocabulary", "rosc.syntax", "rosc.model", "rosc.checks"},
    "rosc.report": {"rosc.syntax", "rosc.checks"},
    "rosc.lab": {"rosc.vocabulary", "rosc.syntax", "rosc.format", "rosc.model", "rosc.checks", "rosc.lint"},
    "rosc.lsp": {"rosc.vocabulary", "rosc.syntax", "rosc.format", "rosc.model", "rosc.checks", "rosc.lint", "rosc.lab"},
}
BASE = {"rosc.diagnostics", "rosc.resources"}


def _layer(module: str) -> str | None:
    for layer in LAYERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_dependencies_point_down_the_pipeline(layer):
    wrong = []
    for module, targets in GRAPH.items():
        if _layer(module) != layer:
            continue
        for target in targets:
            if target in BASE or _layer(target) == layer:
                continue
            if _layer(target) not in LAYERS[layer]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_registry_imports_no_rule():
    # the generated table of rule metadata is data, not a rule
    assert GRAPH["rosc.checks.registry"] <= BASE | {"rosc.checks.rule_index"}
    assert GRAPH["rosc.checks.rule_index"] <= BASE


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines"


def _module_state(path: Path) -> list[str]:
    """``global`` statements, and module-level containers that code changes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = [f"line {n.lineno}: global {', '.join(n.names)}" for n in ast.walk(tree) if isinstance(n, ast.Global)]
    mutable = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = getattr(node, "value", None)
        if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in {"list", "dict", "set"}
        ):
            mutable |= {t.id for t in targets if isinstance(t, ast.Name)}
    changing = {"append", "extend", "insert", "pop", "popitem", "remove", "clear", "update", "add", "discard", "setdefault"}
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in mutable
                and node.func.attr in changing
            ):
                problems.append(f"line {node.lineno}: {node.func.value.id}.{node.func.attr}(...)")
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id in mutable:
                    problems.append(f"line {node.lineno}: {target.value.id}[...] = ...")
    return problems


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_global_mutable_state(name):
    assert _module_state(MODULES[name]) == []


def test_the_state_finder_finds_state(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("_LAST = [None]\n\ndef f(x):\n    _LAST[0] = x\n\n_SEEN = {}\n\ndef g(k):\n    _SEEN.setdefault(k, 1)\n\ndef h():\n    global Y\n")
    assert len(_module_state(sample)) == 3
