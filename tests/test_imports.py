"""The import rules of the house, read from the code (ast; nothing is imported): no import cycle in app/ or
payments/, payments/ imports nothing from app/ or Starlette, no route module imports another route module, and the
layers of app/ are imported only from the edge inward (README, Layout)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "payments")
# app's layers from the edge inward: a layer imports only layers after it (layers of one rank import none of each
# other: paid and the studio's pages, photos and webhooks). The MCP edge sits outside the HTTP edge: its answers are
# the HTTP lane's views, links and body checks.
LAYERS = {
    "mcp": -1,
    "http": 0,
    "paid": 1,
    "studio": 1,
    "services": 2,
    "photos": 3,
    "webhooks": 3,
    "jobs": 4,
    "engines": 5,
    "store": 6,
}


def module_files() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def imported_names(path: Path, module: str) -> set[str]:
    """Every module name an import statement of `path` names (relative imports resolved)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """module → the project modules it imports (a name is resolved to the longest project module it starts with)."""
    files = module_files()
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        targets = set()
        for name in imported_names(path, module):
            while name and name not in files:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each a cycle or several."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def is_route(module: str) -> bool:
    return ".routes." in f"{module}." and not module.endswith(".routes")


def test_there_is_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_payments_imports_nothing_from_the_app_nor_starlette() -> None:
    graph = import_graph()
    assert {m: sorted(t for t in graph[m] if t.startswith("app")) for m in graph if m.startswith("payments")} == {
        m: [] for m in graph if m.startswith("payments")
    }
    for path in (ROOT / "payments").rglob("*.py"):
        assert not any(name.split(".")[0] == "starlette" for name in imported_names(path, "payments")), path


def test_no_route_imports_another_route() -> None:
    graph = import_graph()
    routes = {m for m in graph if is_route(m)}
    assert routes, "the route modules were not found"
    assert {m: sorted(graph[m] & routes) for m in routes} == {m: [] for m in routes}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "app" and len(parts) > 1 and parts[1] in LAYERS else None


def test_layers_are_imported_only_from_the_edge_inward() -> None:
    graph = import_graph()
    backwards = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if (here := layer(module)) and (there := layer(target)) and here != there and LAYERS[there] <= LAYERS[here]
    )
    assert backwards == []


def test_the_walk_sees_a_cycle_and_a_route_importing_a_route() -> None:
    """The checks above can fail: a made-up graph with a cycle and a route importing a route is caught."""
    graph = {
        "app.a": {"app.b"},
        "app.b": {"app.a"},
        "app.http.routes.x": {"app.http.routes.y"},
        "app.http.routes.y": set(),
    }
    assert cycles(graph) == [["app.a", "app.b"]]
    assert is_route("app.http.routes.x") and not is_route("app.http.routes")
