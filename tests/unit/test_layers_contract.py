"""Every top-level package of Parley has its place in the import-linter layers contract, so that
`lint-imports` sees every import between them and no cycle can hide in a package left out."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _layered() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"]
                    if c["name"] == "Top-level packages in layers, no cycle between apps")
    return {name.strip() for layer in contract["layers"] for name in layer.split("|")}


def _packages() -> set[str]:
    source = ROOT / "src" / "parley"
    names = {f"parley.{p.name}" for p in source.iterdir() if (p / "__init__.py").exists()}
    names |= {f"parley.{p.stem}" for p in source.glob("*.py") if p.stem != "__init__"}
    return names


def test_every_top_level_package_is_in_the_layers_contract():
    assert _packages() - _layered() == set()


def test_the_contract_names_no_package_that_does_not_exist():
    assert _layered() - _packages() == set()
