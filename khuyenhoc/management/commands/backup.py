from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khuyenhoc.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump's custom format) and the files under "
        "MEDIA_ROOT (evidence, import files, documents) into one archive with a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=None, help="Folder for the archive (KHUYENHOC_BACKUP_DIR).")

    def handle(self, *args, out, **options):
        try:
            archive = backup(out or Path(settings.KHUYENHOC_BACKUP_DIR))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
