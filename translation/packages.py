"""Installing and removing language packages (`.argosmodel` files), from files or from
argostranslate's package index (ARGOS_PACKAGE_INDEX, the public index by default).

Installation uses argostranslate's own code; the running engines notice the change of the
packages folder at their next translation."""

import json
import zipfile
from dataclasses import dataclass, field
from itertools import permutations
from pathlib import Path

import packaging.version

from translation import argos, catalogue
from translation.catalogue import PIVOT, InstalledPackage, Pair


class PackageError(Exception):
    """A package that cannot be installed, or an index that cannot be read."""


def read_archive(path: Path) -> dict:
    """The metadata of a `.argosmodel` archive, checked before anything is extracted."""
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path} is not an .argosmodel archive (a zip file)")
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if name.endswith("metadata.json")]
        top = min(names, key=lambda name: name.count("/"), default=None)
        if top is None or top.count("/") != 1:
            raise PackageError(f"{path} has no <folder>/metadata.json")
        metadata = json.loads(archive.read(top))
    if metadata.get("type", "translate") != "translate" or not (
        metadata.get("from_code") and metadata.get("to_code")
    ):
        raise PackageError(f"{path} is not a translation package")
    return metadata


def installed() -> dict[Pair, InstalledPackage]:
    return catalogue.installed(argos.packages_dir())


def install_file(path: Path) -> InstalledPackage:
    """Installs one package file; an installed package of the same pair is replaced."""
    metadata = read_archive(path)
    pair = (metadata["from_code"], metadata["to_code"])
    modules = argos.load()
    previous = installed().get(pair)
    if previous is not None:
        modules.package.uninstall(modules.package.Package(previous.path))
    modules.package.install_from_path(path)
    package = installed().get(pair)
    if package is None:
        raise PackageError(f"{path} did not install a {pair[0]}→{pair[1]} package")
    return package


def remove(source: str, target: str) -> bool:
    """Removes the installed package of a pair; False when there was none."""
    package = installed().get((source, target))
    if package is None:
        return False
    modules = argos.load()
    modules.package.uninstall(modules.package.Package(package.path))
    return True


def wanted_pairs(languages: list[str]) -> set[Pair]:
    """Every pair among `languages` and English, both directions: English is the pivot."""
    return set(permutations(dict.fromkeys([*languages, PIVOT]), 2))


@dataclass
class IndexInstall:
    installed: list[InstalledPackage] = field(default_factory=list)
    up_to_date: list[InstalledPackage] = field(default_factory=list)
    # Pairs to and from English the index does not offer: those languages stay untranslated.
    not_in_index: list[Pair] = field(default_factory=list)


def _newest(available: list, pairs: set[Pair]) -> dict:
    newest: dict = {}
    for candidate in available:
        pair = (candidate.from_code, candidate.to_code)
        if candidate.type != "translate" or pair not in pairs:
            continue
        if pair not in newest or _parse(candidate.package_version) > _parse(
            newest[pair].package_version
        ):
            newest[pair] = candidate
    return newest


def _parse(version: str) -> packaging.version.Version:
    try:
        return packaging.version.parse(version)
    except packaging.version.InvalidVersion:
        return packaging.version.parse("0")


def install_from_index(languages: list[str]) -> IndexInstall:
    """Downloads and installs every pair the index offers among `languages` (and English);
    a pair already installed at the index's version is left alone."""
    modules = argos.load()
    index = Path(modules.settings.local_package_index)
    index.unlink(missing_ok=True)
    modules.package.update_package_index()  # logs and returns when the index is unreachable
    if not index.exists():
        raise PackageError(
            f"The package index {modules.settings.remote_package_index} cannot be reached. "
            "Offline, copy .argosmodel files here and install them by file."
        )
    pairs = wanted_pairs(languages)
    offered = _newest(modules.package.get_available_packages(), pairs)
    result = IndexInstall()
    present = installed()
    for pair in sorted(offered):
        candidate = offered[pair]
        current = present.get(pair)
        if current is not None and _parse(candidate.package_version) <= _parse(current.version):
            result.up_to_date.append(current)
            continue
        try:
            download = candidate.download()
        except Exception as error:
            raise PackageError(f"Downloading {pair[0]}→{pair[1]} failed: {error}") from error
        try:
            result.installed.append(install_file(download))
        finally:
            download.unlink(missing_ok=True)
    result.not_in_index = sorted(
        pair for pair in pairs if PIVOT in pair and pair not in offered and pair not in present
    )
    return result
