"""Installing and removing language packages (`.argosmodel` files), from files or from
argostranslate's package index (ARGOS_PACKAGE_INDEX, the public index by default).

A package is checked before it replaces anything: the archive whole (every member's
checksum), its metadata, and its model loaded by argostranslate's own code from a staging
folder; only then is it moved into the packages folder, in place of the pair's previous
package. A file that is not a working model is refused with the reason, and the installed
packages stay as they were. The running engines notice the change of the packages folder at
their next translation."""

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from itertools import permutations
from pathlib import Path

import packaging.version

from translation import argos, catalogue
from translation.catalogue import PIVOT, InstalledPackage, Pair


class PackageError(Exception):
    """A package that cannot be installed, or an index that cannot be read."""


@dataclass(frozen=True)
class Archive:
    path: Path
    folder: str  # the one top folder every member is in
    metadata: dict

    @property
    def pair(self) -> Pair:
        return (self.metadata["from_code"], self.metadata["to_code"])


def inspect_archive(path: Path) -> Archive:
    """A `.argosmodel` archive, checked before anything is extracted: a zip file whose
    members are intact and in one folder, with the metadata of a translation package and a
    CTranslate2 model."""
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path} is not an .argosmodel archive (a zip file)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            folders = {name.split("/", 1)[0] for name in names}
            if len(folders) != 1 or "/" not in names[0]:
                raise PackageError(f"{path} has no <folder>/metadata.json")
            folder = folders.pop()
            if f"{folder}/metadata.json" not in names:
                raise PackageError(f"{path} has no <folder>/metadata.json")
            damaged = archive.testzip()
            if damaged is not None:
                raise PackageError(f"{path} is damaged ({damaged} does not match its checksum)")
            metadata = json.loads(archive.read(f"{folder}/metadata.json"))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise PackageError(f"{path} cannot be read: {error}") from error
    if not isinstance(metadata, dict) or (
        metadata.get("type", "translate") != "translate"
        or not (metadata.get("from_code") and metadata.get("to_code"))
    ):
        raise PackageError(f"{path} is not a translation package")
    if f"{folder}/model/model.bin" not in names:
        raise PackageError(f"{path} has no model ({folder}/model/model.bin)")
    return Archive(path, folder, metadata)


def read_archive(path: Path) -> dict:
    """The metadata of a `.argosmodel` archive, checked before anything is extracted."""
    return inspect_archive(path).metadata


def installed() -> dict[Pair, InstalledPackage]:
    return catalogue.installed(argos.packages_dir())


def install_file(path: Path) -> InstalledPackage:
    """Installs one package file; an installed package of the same pair is replaced."""
    return install_files([path])[0]


def install_files(paths: list[Path]) -> list[InstalledPackage]:
    """Installs package files, each in place of the installed package of its pair; every
    file is checked first, so a bad one installs none."""
    from translation.engine import load_model

    archives = [inspect_archive(path) for path in paths]
    argos.load()
    base = argos.directory()
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=base))
    try:
        staged = []
        for number, archive in enumerate(archives):
            _check_place(archive)
            folder = staging / str(number)
            with zipfile.ZipFile(archive.path) as opened:
                opened.extractall(folder)
            package = catalogue.read_package(folder / archive.folder)
            if package is None:
                raise PackageError(f"{archive.path} is not a translation package")
            try:
                load_model(package)
            except Exception as error:
                raise PackageError(
                    f"{archive.path}: its model cannot be loaded ({type(error).__name__}: {error})"
                ) from error
            staged.append((archive, package))
        return [_replace(archive, package, staging) for archive, package in staged]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_place(archive: Archive) -> None:
    """Its folder must be free, or hold the package of its own pair."""
    target = argos.packages_dir() / archive.folder
    if not target.exists():
        return
    owner = catalogue.read_package(target)
    if owner is None:
        raise PackageError(f"{target} exists and is not a translation package")
    if owner.pair != archive.pair:
        raise PackageError(
            f"{archive.path} would overwrite the {owner.source}→{owner.target} package "
            f"({archive.folder})"
        )


def _replace(archive: Archive, package: InstalledPackage, staging: Path) -> InstalledPackage:
    """Moves a checked package into the packages folder in place of its pair's previous
    one, which is put back if the move fails."""
    target = argos.packages_dir() / archive.folder
    previous = installed().get(archive.pair)
    replaced = staging / "replaced"
    if previous is not None:
        replaced.mkdir(exist_ok=True)
        previous.path.rename(replaced / previous.path.name)
    try:
        package.path.rename(target)
    except OSError:
        if previous is not None:
            (replaced / previous.path.name).rename(previous.path)
        raise
    return InstalledPackage(package.source, package.target, package.version, target)


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
