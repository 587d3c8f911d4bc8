"""Nothing pinned that is not used, nothing used that is not declared (issue 20, packaging).

The imports of src/helpers and the notebooks must come from pyproject.toml's [project] dependencies;
those of tests/ and scripts/ from those plus the `dev` extra. Import names are mapped to
distributions by importlib.metadata.packages_distributions(). A declared distribution that nothing
imports must say where it is used (USED_WITHOUT_IMPORT, checked in that file), and requirements.lock
must pin every declared distribution at the version pyproject.toml pins."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FIRST_PARTY = {"helpers"}

# Declared, never imported: (file, text in it that shows the use).
USED_WITHOUT_IMPORT = {
    "pyarrow": ("src/helpers/sources/comtrade_scan.py", ".to_pandas()"),  # polars -> pandas
    "ipykernel": ("scripts/setup_venv.sh", "-m ipykernel install"),
    "openpyxl": ("src/helpers/sources/gacc_exports.py", "pd.read_excel("),
    "lxml": (
        "src/helpers/sources/gacc_table.py",
        'BeautifulSoup(_decode(path.read_bytes(), path), "lxml")',
    ),
    "pytest-xdist": ("Makefile", 'pytest -q -m "not slow" -n 2'),
    "ruff": ("Makefile", "ruff check"),
    "jupyterlab": ("src/helpers/pipeline/lab.py", '"lab",'),
    "nbstripout": ("Makefile", "nbstripout notebooks/"),
}
# comtradeapicall imports these but declares no dependency at all (checked in its installed source).
UNDECLARED_BY_COMTRADEAPICALL = ("requests", "urllib3")
# Declared for work landing from another branch of issue 20: delete the entry when its import lands
# (the test below fails then, so a stale entry cannot stay).
PENDING = {}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> dict[str, str]:
    """{distribution: pinned version} from `name==version` requirement strings."""
    pins = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        assert version, f"{requirement}: pyproject pins every dependency exactly (name==version)"
        pins[canonical(name)] = version
    return pins


RUNTIME = declared(PYPROJECT["project"]["dependencies"])
DEV = declared(PYPROJECT["project"]["optional-dependencies"]["dev"])


def sources(*patterns: str) -> list[Path]:
    return sorted(path for pattern in patterns for path in ROOT.glob(pattern))


def python_of(path: Path) -> str:
    if path.suffix != ".ipynb":
        return path.read_text(encoding="utf-8")
    cells = nbformat.read(path, as_version=4).cells
    lines = [line for c in cells if c.cell_type == "code" for line in c.source.splitlines()]
    return "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))


def imported_modules(paths: list[Path]) -> dict[str, list[str]]:
    """{top-level module: files importing it} for absolute imports anywhere in the files (functions too),
    without the standard library, the package itself and the modules beside the files (tests' helpers)."""
    local = {path.stem for path in paths} | {
        p.stem for p in sources("tests/**/*.py", "scripts/*.py")
    }  # and the tests' own packages (tests/browser)
    local |= {p.parent.name for p in sources("tests/*/__init__.py")}
    found = {}
    for path in paths:
        for node in ast.walk(ast.parse(python_of(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY | local:
                    found.setdefault(top, []).append(str(path.relative_to(ROOT)))
    return found


def distributions(modules: dict[str, list[str]]) -> dict[str, list[str]]:
    """{distribution: files} for the imported modules; a module no installed distribution provides fails."""
    providers = importlib.metadata.packages_distributions()
    found = {}
    for module, files in modules.items():
        assert module in providers, f"{module} (imported by {files[0]}) is not installed"
        for dist in providers[module]:
            found.setdefault(canonical(dist), []).extend(files)
    return found


RUNTIME_USE = distributions(imported_modules(sources("src/helpers/**/*.py", "notebooks/*.ipynb")))
DEV_USE = distributions(imported_modules(sources("tests/**/*.py", "scripts/*.py")))


def test_every_import_of_the_package_and_notebooks_is_a_runtime_dependency():
    undeclared = {d: files[0] for d, files in RUNTIME_USE.items() if d not in RUNTIME}
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"


def test_every_import_of_tests_and_scripts_is_declared():
    undeclared = {d: files[0] for d, files in DEV_USE.items() if d not in RUNTIME | DEV}
    assert not undeclared, (
        f"imported but in neither [project] dependencies nor the dev extra: {undeclared}"
    )


def test_every_declared_dependency_is_used():
    unused = set(RUNTIME) - set(RUNTIME_USE) - set(USED_WITHOUT_IMPORT) - set(PENDING)
    unused -= set(UNDECLARED_BY_COMTRADEAPICALL)
    unused_dev = (
        set(DEV) - set(DEV_USE) - set(RUNTIME_USE) - set(USED_WITHOUT_IMPORT) - set(PENDING)
    )
    assert not unused | unused_dev, f"declared but never used: {sorted(unused | unused_dev)}"
    # a runtime dependency used only by tests or scripts belongs in the dev extra
    dev_only = {d for d in RUNTIME if d not in RUNTIME_USE and d in DEV_USE} - set(
        USED_WITHOUT_IMPORT
    )
    assert not dev_only, f"runtime dependencies only tests or scripts import: {sorted(dev_only)}"


@pytest.mark.parametrize("dist", sorted(USED_WITHOUT_IMPORT))
def test_a_dependency_used_without_an_import_is_used_where_it_says(dist):
    path, use = USED_WITHOUT_IMPORT[dist]
    assert dist in RUNTIME | DEV and use in (ROOT / path).read_text(encoding="utf-8")


def test_comtradeapicall_still_imports_what_it_does_not_declare():
    package = importlib.metadata.distribution("comtradeapicall")
    assert not package.requires  # the day it declares them, they can leave pyproject.toml
    text = "".join(f.read_text() for f in package.files if f.suffix == ".py")
    for module in UNDECLARED_BY_COMTRADEAPICALL:
        assert re.search(rf"^import {module}$", text, re.M) and module in RUNTIME


@pytest.mark.parametrize("dist", sorted(PENDING))
def test_a_pending_dependency_is_not_imported_yet(dist):
    assert dist not in RUNTIME_USE | DEV_USE, f"{dist} is imported now: remove it from PENDING"


def test_the_lock_pins_every_declared_dependency_at_its_version():
    lock = dict(
        re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", (ROOT / "requirements.lock").read_text(), re.M)
    )
    lock = {canonical(name): version for name, version in lock.items()}
    for dist, version in (RUNTIME | DEV).items():
        assert lock.get(dist) == version, (
            f"requirements.lock has {dist} {lock.get(dist)}, not {version}"
        )
    assert (
        (ROOT / "requirements.lock")
        .read_text()
        .startswith(
            "# This file was autogenerated by uv via the following command:\n"
            "#    uv pip compile pyproject.toml --extra dev"
        )
    )
