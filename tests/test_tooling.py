"""The type check bites: scripts/test runs mypy, and mypy with the project's configuration
(the Django and DRF plugins, which know the models) fails on a type error."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

WELL_TYPED = """
from claims.models import Claim


def label_of(claim: Claim) -> str:
    return claim.label
"""

BADLY_TYPED = """
from claims.models import Claim


def label_length(claim: Claim) -> int:
    return claim.label


def nickname_of(claim: Claim) -> str:
    return claim.nickname
"""


@pytest.fixture(scope="module")
def mypy(tmp_path_factory):
    """Runs mypy as scripts/test does (DEBUG=true, no SECRET_KEY) on one file of code.

    Only that file is reported on (the project is checked whole by scripts/test); the
    cache is shared by this module's runs, so the second costs little.
    """
    folder = tmp_path_factory.mktemp("mypy")
    environment = {**os.environ, "DEBUG": "true"}
    environment.pop("SECRET_KEY", None)

    def run(code: str) -> subprocess.CompletedProcess:
        module = folder / "example.py"
        module.write_text(code)
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--config-file",
                str(ROOT / "pyproject.toml"),
                "--cache-dir",
                str(folder / "cache"),
                "--follow-imports=silent",
                str(module),
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )

    return run


def test_scripts_test_runs_mypy_before_the_tests():
    lines = (ROOT / "scripts" / "test").read_text().splitlines()
    commands = [line.strip() for line in lines if line.strip() and not line.startswith("#")]

    assert "set -euo pipefail" in (ROOT / "scripts" / "_venv.sh").read_text()
    assert "mypy" in commands  # the [tool.mypy] files: the whole project
    assert commands.index("mypy") < commands.index('exec pytest "$@"')


def test_mypy_passes_well_typed_code_that_uses_the_models(mypy):
    result = mypy(WELL_TYPED)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in 1 source file" in result.stdout


def test_mypy_fails_on_a_type_error_and_on_a_field_the_model_lacks(mypy):
    result = mypy(BADLY_TYPED)

    assert result.returncode == 1, result.stdout + result.stderr
    errors = re.findall(r"example\.py:\d+: error: (.*)", result.stdout)
    assert errors == [
        'Incompatible return value type (got "str", expected "int")  [return-value]',
        '"Claim" has no attribute "nickname"  [attr-defined]',
    ]
