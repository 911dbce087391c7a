"""The package's import graph: domain/ imports nothing from the other layers, and no module imports itself
back through a cycle (docs/architecture.md)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import detente

PACKAGE = "detente"


def modules() -> dict[str, Path]:
    """Every module of the installed package, by dotted name."""
    found: dict[str, Path] = {}
    for root in detente.__path__:
        base = Path(root)
        for path in base.rglob("*.py"):
            parts = path.relative_to(base).with_suffix("").parts
            name = ".".join((PACKAGE, *parts)).removesuffix(".__init__")
            found[name] = path
    # domain/, projections/ and cli/ are installed as sub-packages from the top-level folders
    for package in (importlib.import_module(f"{PACKAGE}.{layer}") for layer in ("domain", "projections", "cli")):
        base = Path(package.__path__[0])
        for path in base.rglob("*.py"):
            parts = path.relative_to(base).with_suffix("").parts
            found[".".join((package.__name__, *parts)).removesuffix(".__init__")] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports at module level or in functions (TYPE_CHECKING ones excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    checking: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            checking.update(id(child) for child in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in checking:
            continue
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {target for target in targets if target in known and target != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items()}


def test_the_domain_imports_nothing_from_the_other_layers() -> None:
    offending = {
        name: sorted(target for target in targets if not target.startswith("detente.domain"))
        for name, targets in graph().items()
        if name.startswith("detente.domain")
    }
    assert {name: targets for name, targets in offending.items() if targets} == {}


def test_the_projections_do_not_import_the_service_layer_or_the_cli() -> None:
    allowed = ("detente.domain", "detente.projections")
    offending = {
        name: sorted(target for target in targets if not target.startswith(allowed))
        for name, targets in graph().items()
        if name.startswith("detente.projections")
    }
    assert {name: targets for name, targets in offending.items() if targets} == {}


def test_the_import_graph_has_no_cycle() -> None:
    edges = {name: {t for t in targets if t != name.rpartition(".")[0]} for name, targets in graph().items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target] if target in path else [node, target])
            elif state.get(target) is None:
                visit(target, path + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []
