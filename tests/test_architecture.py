"""The layout rules of docs/architecture.md, checked on the source: no import circle between
the package's parts, codes/ independent of channels/, one table naming channels, no pyplot."""

import ast
from pathlib import Path

import shannonlab

PACKAGE = Path(shannonlab.__file__).parent


def _imports(path: Path) -> set[str]:
    """Absolute names of the shannonlab modules ``path`` imports (anywhere in the file, except
    under ``if TYPE_CHECKING``)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text())
    skipped = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
               and getattr(block.test, "id", None) == "TYPE_CHECKING" for node in ast.walk(block)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "shannonlab" or name.startswith("shannonlab.")}


def _part(module: str) -> str:
    """The part of the package a module belongs to: shannonlab.X (a subpackage or a module)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


#: Modules that only keep an old import path alive (they re-export what moved).
SHIMS = {"channels/capacity.py", "channels/blahut_arimoto.py", "channels/rate_distortion.py", "sim/plot.py",
         "sim/plot_rate_vs_ber.py", "sim/plot_bandlimited.py", "sim/registry.py", "sim/validation.py",
         "capacity_cli.py"}


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in SHIMS:
            continue
        source = _part("shannonlab." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        for target in _imports(path):
            if _part(target) not in (source, "__init__"):
                graph.setdefault(source, set()).add(_part(target))
    return graph


def test_no_import_circle_between_parts():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != 1, f"import circle: {' -> '.join(trail + [nxt])}"
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    # the layers of docs/architecture.md
    assert "sim" not in graph.get("plot", set()) and "plot" not in graph.get("sim", set())
    assert not graph.get("theory", set()) - {"errors", "ranges", "validation"}


def test_codes_import_nothing_from_channels():
    for path in (PACKAGE / "codes").rglob("*.py"):
        bad = {m for m in _imports(path) if m.startswith("shannonlab.channels")}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_one_table_names_channels():
    """Only the registry maps channel names to classes; nothing else holds such a table."""
    from shannonlab.registry import CHANNELS

    for path in PACKAGE.rglob("*.py"):
        if path.name == "registry.py" and path.parent == PACKAGE:
            continue
        text = path.read_text()
        for name, target in CHANNELS.items():
            assert target not in text, f"{path.relative_to(PACKAGE)} names {target}"
            assert f'"{name}": (' not in text, f"{path.relative_to(PACKAGE)} looks like a channel table ({name})"


def test_no_pyplot_and_no_backend_switch():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        assert "matplotlib.use(" not in text and "import matplotlib.pyplot" not in text, path.relative_to(PACKAGE)
