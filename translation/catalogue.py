"""The installed language packages as read from disk, and the route a translation takes.

Reading `metadata.json` files needs no argostranslate import: the staff page, the package
list and the "no model" answer for an uninstalled pair all stay fast and light."""

import json
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

PIVOT = "en"

Pair = tuple[str, str]


@dataclass(frozen=True)
class InstalledPackage:
    source: str
    target: str
    version: str
    path: Path

    @property
    def pair(self) -> Pair:
        return (self.source, self.target)

    def __str__(self) -> str:
        return f"{self.source}→{self.target} {self.version}"


def read_package(path: Path) -> InstalledPackage | None:
    """The translation package in folder `path`, or None for anything else."""
    try:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if metadata.get("type", "translate") != "translate":
        return None
    source, target = metadata.get("from_code"), metadata.get("to_code")
    if not source or not target:
        return None
    return InstalledPackage(source, target, str(metadata.get("package_version", "")), path)


def installed(packages_dir: Path) -> dict[Pair, InstalledPackage]:
    """Every installed translation package by (source, target)."""
    if not packages_dir.is_dir():
        return {}
    found: dict[Pair, InstalledPackage] = {}
    for path in sorted(packages_dir.iterdir()):
        package = read_package(path) if path.is_dir() else None
        if package is None:
            continue
        if package.pair in found:
            logger.warning("Two packages for %s→%s; using %s", *package.pair, found[package.pair])
            continue
        found[package.pair] = package
    return found


def fingerprint(packages_dir: Path) -> int:
    """Changes whenever a package folder is added or removed (by any process)."""
    try:
        return packages_dir.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def route(
    packages: dict[Pair, InstalledPackage], source: str, target: str
) -> list[InstalledPackage] | None:
    """The packages that translate `source` into `target`: the direct pair, else through
    English (two models), else None."""
    direct = packages.get((source, target))
    if direct is not None:
        return [direct]
    first, second = packages.get((source, PIVOT)), packages.get((PIVOT, target))
    if PIVOT not in (source, target) and first is not None and second is not None:
        return [first, second]
    return None


def missing_packages(
    packages: dict[Pair, InstalledPackage], source: str, target: str
) -> list[Pair]:
    """The packages to install so that `source` translates into `target` through English."""
    if PIVOT in (source, target):
        return [] if (source, target) in packages else [(source, target)]
    return [pair for pair in ((source, PIVOT), (PIVOT, target)) if pair not in packages]
