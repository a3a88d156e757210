"""The house rules, read off the source tree (AST, no imports run): module size, the one-way flow of imports
(app.py -> ui -> layers facade -> layers -> geo), no import hidden in a function to dodge a cycle, and no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import REPO

MAX_LINES = 400
PROJECT = ("geo", "layers", "ui")
#: Only these may be imported inside a function: heavy optional libraries a command loads when it needs them.
LAZY_ALLOWED = {"dask", "dask.dataframe", "geopandas", "shapely"}


def python_files(*roots: str) -> list[Path]:
    files = [p for root in roots for p in sorted((REPO / root).rglob("*.py"))]
    return files + ([REPO / "app.py"] if "app.py" in roots else [])


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(absolute module imported, line, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(package[: len(package) - child.level + 1] + ([base] if base else []))
                for alias in child.names:  # 'from . import format' imports the submodule layers.format
                    candidate = f"{base}.{alias.name}"
                    is_module = (REPO / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                        REPO / Path(*candidate.split(".")) / "__init__.py"
                    ).exists()
                    found.append((candidate if is_module else base, child.lineno, in_function))
            visit(child, inside)

    visit(tree, False)
    return found


@pytest.mark.parametrize(
    "path",
    python_files("geo", "layers", "ui", "bench", "scripts", "tests", "app.py"),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_geo_knows_nothing_of_the_atlas_the_map_or_the_app():
    banned = ("layers", "ui", "app", "streamlit", "streamlit_folium", "folium", "branca")
    found = [
        (str(p.relative_to(REPO)), line, name)
        for p in python_files("geo")
        for name, line, _ in imports(p)
        if name.split(".")[0] in banned
    ]
    assert found == []


def test_layers_knows_nothing_of_streamlit_or_the_app():
    found = [
        (str(p.relative_to(REPO)), line, name)
        for p in python_files("layers")
        for name, line, _ in imports(p)
        if name.split(".")[0] in ("ui", "app", "streamlit", "streamlit_folium")
    ]
    assert found == []


def test_the_app_reaches_layers_through_its_facade_only():
    written = []  # as written: 'from layers import format' goes through the facade, 'from layers.map import x' does not
    for path in python_files("ui", "app.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            written += [(str(path.relative_to(REPO)), node.lineno, n) for n in names if n.startswith("layers.")]
    assert written == []


def test_no_project_import_hides_inside_a_function():
    found = [
        (str(p.relative_to(REPO)), line, name)
        for p in python_files(*PROJECT)
        for name, line, lazy in imports(p)
        if lazy and name not in LAZY_ALLOWED
    ]
    assert found == []


def test_the_project_modules_import_each_other_without_cycles():
    graph: dict[str, set[str]] = {}
    for path in python_files(*PROJECT):
        name = module_name(path)
        graph[name] = {m for m, _, _ in imports(path) if m.split(".")[0] in PROJECT and m != name}
    cycles, state = [], {}

    def walk(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                walk(nxt, trail + [nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            walk(start, [start])
    assert cycles == []
