"""narrate's import graph: no cycle, and imports run one way, down the pipeline.

Every ``import`` in narrate counts, at the top of a module or inside a function (a cycle
hidden in a function is still a cycle, and so is a dependency that runs upward). A module
may import from its own layer or a lower one; the layers follow the pipeline, so a later
stage may read an earlier one's work (publishing reads the MP3's tags), never the reverse.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import narrate

ROOT = Path(narrate.__file__).parent

#: Lowest first. A module belongs to the layer of the longest prefix that names it; a new
#: top-level module or package needs a place here (the test says so).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("narrate", "narrate.errors", "narrate.model", "narrate.fsutil", "narrate.stop"),
    ("narrate.ffmpeg", "narrate.cpus", "narrate.config", "narrate.text", "narrate.cache",
     "narrate.engines"),
    ("narrate.readers",),
    ("narrate.script",),
    ("narrate.synth",),
    ("narrate.mix",),
    ("narrate.publish",),
    ("narrate.pipeline",),
    ("narrate.batch", "narrate.serve"),
    ("narrate.cluster", "narrate.follow"),
    ("narrate.cli", "narrate.__main__"),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _target(module: str) -> str | None:
    """The narrate module ``module`` names (a submodule, or its package)."""
    while module and module not in MODULES:
        module = module.rpartition(".")[0]
    return module or None


def imports(name: str) -> Iterator[tuple[str, int]]:
    """The narrate modules ``name`` imports, anywhere in it, with the line."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found = _target(alias.name)
                if found:
                    yield found, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # ``from narrate.mix import lame`` imports the submodule, not the package
                found = _target(f"{base}.{alias.name}") if f"{base}.{alias.name}" in MODULES \
                    else _target(base)
                if found:
                    yield found, node.lineno


GRAPH = {
    name: {target: line for target, line in imports(name) if target != name}
    for name in MODULES
}


def layer(name: str) -> int | None:
    """The place of ``name`` in :data:`LAYERS` (``narrate`` itself is the package's
    ``__init__`` only)."""
    best: tuple[int, int] | None = None
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            match = name == prefix or (prefix != "narrate" and name.startswith(prefix + "."))
            if match and (best is None or len(prefix) > best[0]):
                best = (len(prefix), rank)
    return None if best is None else best[1]


def test_every_module_has_a_layer() -> None:
    missing = [name for name in MODULES if layer(name) is None]
    assert missing == [], f"give these a place in LAYERS (tests/test_layers.py): {missing}"


def test_no_import_runs_upward() -> None:
    upward = [
        f"{MODULES[name].relative_to(ROOT.parent)}:{line} imports {target}"
        f" (layer {layer(target)} above {layer(name)})"
        for name, targets in GRAPH.items()
        for target, line in targets.items()
        if (layer(target) or 0) > (layer(name) or 0)
    ]
    assert upward == []


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle() -> None:
    assert strongly_connected(GRAPH) == []


@pytest.mark.parametrize(
    ("graph", "cycles"),
    [
        ({"a": {"b": 1}, "b": {"a": 1}}, [["a", "b"]]),
        ({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}, [["a", "b", "c"]]),
        ({"a": {"b": 1}, "b": {"c": 1}, "c": {}}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(
    graph: dict[str, dict[str, int]], cycles: list[list[str]]
) -> None:
    assert strongly_connected(graph) == cycles


def test_the_walk_sees_imports_inside_functions() -> None:
    """The import in ``narrate build``'s body (the batch, loaded only when a build runs)."""
    assert "narrate.batch.run" in GRAPH["narrate.cli.build"]
    assert layer("narrate.cli.build") == len(LAYERS) - 1
    assert layer("narrate.pipeline") == layer("narrate.publish") + 1  # type: ignore[operator]
