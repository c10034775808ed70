"""The layers hold: import-linter's contracts (pyproject.toml) pass, and fail when broken;
the apps own their routes and the API root still lists them all."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def project_copy(tmp_path):
    """The three packages and the contracts, copied, to be broken in one place."""
    for package in ("factcheck", "claims", "sources", "jobs"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_import(module: Path, statement: str) -> None:
    module.write_text(f"{statement}\n{module.read_text()}")


def test_the_project_keeps_every_import_contract():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_factcheck_importing_an_app_breaks_the_contracts(project_copy):
    add_import(project_copy / "factcheck" / "errors.py", "import claims.models")

    result = lint_imports(project_copy)

    assert result.returncode != 0
    assert "factcheck knows no app BROKEN" in result.stdout
    # Through factcheck, sources would reach claims too.
    assert "claims uses sources, never the other way BROKEN" in result.stdout


def test_the_read_layer_importing_the_api_breaks_the_layers(project_copy):
    add_import(project_copy / "claims" / "read" / "__init__.py", "import claims.api.views")

    result = lint_imports(project_copy)

    assert result.returncode != 0
    assert "claims layers BROKEN" in result.stdout
    assert "claims.read is not allowed to import claims.api" in result.stdout


def test_a_model_importing_a_service_breaks_the_layers(project_copy):
    add_import(project_copy / "claims" / "models" / "ratings.py", "import claims.services")

    result = lint_imports(project_copy)

    assert result.returncode != 0
    assert "claims.models is not allowed to import claims.services" in result.stdout


# Routes --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_root_links_the_collections_of_every_app(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response.json() == {
        name: f"http://testserver/api/v1/{name}/"
        for name in (
            "claims",
            "speakers",
            "tags",
            "ratings",
            "external-reviews",
            "sources",
            "outlets",
        )
    }


@pytest.mark.django_db
def test_the_api_root_keeps_a_format_suffix_on_its_links(client):
    response = client.get("/api/v1/.json")

    assert response.json()["sources"] == "http://testserver/api/v1/sources.json"
