from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuyenhoc.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace this installation's database and files with a backup made by `manage.py backup`. The archive, "
        "its version and its dump are checked first; nothing is wiped unless all of them pass. Stop the web "
        "server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the data.")

    def handle(self, *args, archive, yes, **options):
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file. Nothing was changed.")
        if not yes and input(f"Replace every record and file of this installation with {archive}? [yes/no] ") != "yes":
            raise CommandError("Nothing was changed.")
        try:
            manifest = restore(archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        total = sum(manifest["counts"].values())
        self.stdout.write(f"Restored {total} records from the backup made at {manifest['made_at']}.")
