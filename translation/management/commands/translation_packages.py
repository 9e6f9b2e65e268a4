"""manage.py translation_packages list | install FILE… | install --from-index LANG…
| remove FROM TO: the language packages of machine translation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from translation import packages, services
from translation.catalogue import InstalledPackage
from translation.engine import Engine


class Command(BaseCommand):
    help = "Lists, installs and removes the language packages of machine translation."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="The installed pairs and their versions.")
        install = actions.add_parser(
            "install", help="Install .argosmodel files, or pairs from the package index."
        )
        install.add_argument("files", nargs="*", type=Path, metavar="FILE")
        install.add_argument(
            "--from-index",
            nargs="+",
            metavar="LANG",
            help="Install every pair the index offers among these languages and English.",
        )
        remove = actions.add_parser("remove", help="Remove the package of one pair.")
        remove.add_argument("source", metavar="FROM")
        remove.add_argument("target", metavar="TO")

    def handle(self, *args, action: str, **options) -> None:
        if action == "list":
            self.list_packages()
        elif action == "install":
            self.install(options["files"], options["from_index"])
        else:
            self.remove(options["source"], options["target"])

    def list_packages(self) -> None:
        installed = packages.installed()
        if not installed:
            self.stdout.write("No language package is installed.")
            return
        for package in installed.values():
            self.stdout.write(f"{package.source} → {package.target}  {package.version}")

    def install(self, files: list[Path], languages: list[str] | None) -> None:
        if bool(files) == bool(languages):
            raise CommandError("Give either .argosmodel files or --from-index LANG …")
        try:
            if files:
                done = packages.install_files(files)
            else:
                done = self.install_from_index(languages or [])
        except (packages.PackageError, OSError) as error:
            raise CommandError(str(error)) from error
        for package in done:
            self.stdout.write(self.style.SUCCESS(f"Installed {self.describe(package)}"))
        self.reopen()

    def install_from_index(self, languages: list[str]) -> list[InstalledPackage]:
        result = packages.install_from_index(languages)
        for package in result.up_to_date:
            self.stdout.write(f"Up to date: {self.describe(package)}")
        for source, target in result.not_in_index:
            self.stderr.write(self.style.WARNING(f"Not in the index: {source} → {target}"))
        return result.installed

    def remove(self, source: str, target: str) -> None:
        if not packages.remove(source, target):
            raise CommandError(f"No package {source} → {target} is installed.")
        self.stdout.write(self.style.SUCCESS(f"Removed {source} → {target}"))

    def reopen(self) -> None:
        """Messages that waited for a model are translated by the next sweep."""
        reopened = services.reopen_translatable(engine=Engine(max_models=1))
        if reopened:
            self.stdout.write(f"{reopened} translations waiting for a model are queued again.")

    @staticmethod
    def describe(package: InstalledPackage) -> str:
        return f"{package.source} → {package.target} {package.version}"
