"""The house's import rules (pyproject's import-linter contracts) hold, and can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("config", "parsers", "handlers", "integration")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
    )


def _copy_tree(tmp: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    return tmp


class TestContracts:
    def test_the_tree_keeps_every_contract(self) -> None:
        """No module under parsers/ or handlers/ imports integration or an adapter library."""
        result = _lint(ROOT)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 broken" in result.stdout

    def test_an_adapter_import_in_the_core_breaks_the_build(self, tmp_path: Path) -> None:
        """Adding ``import sqlalchemy`` to a handler module makes the check fail."""
        root = _copy_tree(tmp_path)
        target = root / "handlers" / "router.py"
        target.write_text(target.read_text() + "\nimport sqlalchemy  # noqa\n")
        result = _lint(root)
        assert result.returncode != 0
        assert "The core imports no adapter BROKEN" in result.stdout

    def test_an_integration_import_in_the_parsers_breaks_the_build(self, tmp_path: Path) -> None:
        """A parser importing from integration/ breaks both contracts."""
        root = _copy_tree(tmp_path)
        target = root / "parsers" / "model.py"
        target.write_text(target.read_text() + "\nimport integration.logs  # noqa\n")
        result = _lint(root)
        assert result.returncode != 0
        assert "Layers run one way BROKEN" in result.stdout
