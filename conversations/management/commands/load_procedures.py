from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from conversations.procedures import DATA_DIR, ProcedureDataError, load_procedures
from conversations.questions import QuestionSetDataError, load_question_sets


class Command(BaseCommand):
    help = (
        "Creates or updates every procedure from conversations/data/procedures/, and every "
        "question set from conversations/data/question_sets/ (idempotent; migrate runs it too)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=DATA_DIR,
            help="Folder of procedure files to load instead (to check new files first).",
        )

    def handle(self, *args, directory: Path, **options) -> None:
        try:
            report = load_procedures(directory=directory)
            sets = load_question_sets()
        except (ProcedureDataError, QuestionSetDataError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Procedures: {report.created} created, {report.updated} updated, "
            f"{report.deactivated} deactivated. Question sets: {sets} loaded."
        )
