"""The import rules of the layers (shared/conventions.md), checked by parsing every module."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def touches(names: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)}


DB_AND_UI = ("streamlit", "sqlmodel", "sqlalchemy", "alembic", "psycopg", "plotly")


@pytest.mark.parametrize("path", modules_under(PACKAGE / "domain"), ids=lambda p: p.name)
def test_domain_is_pure(path):
    names = imported_modules(path)
    assert not touches(names, DB_AND_UI), "the domain imports no database, UI or chart library"
    workbench_imports = {n for n in names if n.startswith("workbench")}
    assert all(n.startswith("workbench.domain") for n in workbench_imports)


@pytest.mark.parametrize(
    "path",
    [p for p in modules_under(PACKAGE) if "ui" not in p.relative_to(PACKAGE).parts],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_only_the_ui_package_imports_streamlit(path):
    assert not touches(imported_modules(path), ("streamlit",))


@pytest.mark.parametrize(
    "path", [ROOT / "app.py", *modules_under(ROOT / "pages")], ids=lambda p: p.name
)
def test_pages_hold_no_sql_and_open_no_session(path):
    names = imported_modules(path)
    assert not touches(names, ("sqlmodel", "sqlalchemy", "alembic", "psycopg"))
    assert not touches(names, ("workbench.crud", "workbench.db", "workbench.models"))
    source = path.read_text(encoding="utf-8")
    assert "Session(" not in source


@pytest.mark.parametrize("folder", ["charts", "reporting"], ids=str)
def test_charts_and_reporting_do_not_import_streamlit_or_the_database(folder):
    for path in modules_under(PACKAGE / folder):
        names = imported_modules(path)
        assert not touches(names, ("streamlit", "sqlmodel", "sqlalchemy", "workbench.crud")), path


def test_crud_and_models_do_not_import_services_or_ui():
    for path in [PACKAGE / "crud.py", *modules_under(PACKAGE / "models"), PACKAGE / "db.py"]:
        names = imported_modules(path)
        assert not touches(names, ("workbench.services", "workbench.ui", "streamlit")), path


PAGE_LINES_MAX = 350


@pytest.mark.parametrize(
    "path", [ROOT / "app.py", *modules_under(ROOT / "pages")], ids=lambda p: p.name
)
def test_page_scripts_stay_thin(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= PAGE_LINES_MAX, (
        f"{path.name} has {lines} lines: move its rendering blocks into workbench/ui, its rules "
        "into the domain or a service"
    )


@pytest.mark.parametrize("path", modules_under(ROOT / "pages"), ids=lambda p: p.name)
def test_pages_use_the_one_form_layer(path):
    """No page hand-rolls the submit / validate / rerun cycle: forms use workbench.ui.forms."""
    source = path.read_text(encoding="utf-8")
    assert "st.rerun()" not in source
    assert "set_form_errors" not in source and "form_errors(" not in source
