"""What every import shares: reading in batches, collecting errors with their place, counting."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from .readers import Column, open_table

BATCH_SIZE = 5000
MAX_STORED_ERRORS = 1000
SAMPLE_SIZE = 20


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class Outcome:
    """What a pass over the file found: counts per action, errors, a few examples of each action."""

    counts: dict = field(default_factory=lambda: {"create": 0, "update": 0, "unchanged": 0})
    errors: list = field(default_factory=list)
    error_count: int = 0
    samples: dict = field(default_factory=lambda: {"create": [], "update": []})
    # What the officer confirms before saving (a village name that differs from another only by its
    # diacritics): shown with the check, never stopping it.
    warnings: list = field(default_factory=list)
    warning_count: int = 0

    def add_error(self, error: RowError):
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(error.as_dict())

    def add_warning(self, warning: RowError):
        self.warning_count += 1
        if len(self.warnings) < MAX_STORED_ERRORS:
            self.warnings.append(warning.as_dict())

    def count(self, action: str, sample=None):
        self.counts[action] += 1
        if sample is not None and len(self.samples[action]) < SAMPLE_SIZE:
            self.samples[action].append(sample)

    def wants_sample(self, action: str) -> bool:
        """Whether an example of `action` would still be kept (so callers build it only then)."""
        return len(self.samples[action]) < SAMPLE_SIZE


class StaleCheck(Exception):
    """Records a checked file would change were changed by someone else after the check."""

    def __init__(self, outcome: "Outcome | None" = None):
        super().__init__()
        self.outcome = outcome  # what checking again found, when the save checked again


class Importer:
    """One kind of record. Subclasses give the columns and process a batch of rows.

    `classify(batch, outcome)` checks a batch and returns its changes. By default the save reads
    the file again, classifies it again (catching any change made since the check) and passes
    the changes to `apply`: simplest, and cheap for kinds of a few thousand rows. A kind with
    `stages_changes` instead returns JSON-ready changes that are kept from the check and given
    to `save_staged` (as an `core.staging.Staging`), which must raise StaleCheck if what it would change has changed.
    """

    kind: str
    columns: list[Column]
    stages_changes = False
    # The kinds of file the upload accepts for this import (`UploadForm`).
    extensions = (".xlsx", ".csv")
    # Rows as lists in the order of `columns` instead of dictionaries (`Table.records`): for the
    # kinds whose files hold millions of rows.
    positional = False

    def __init__(self, *, user):
        self.user = user

    def batches(self, path, filename, outcome: Outcome | None = None):
        """The file's rows in batches. With `outcome`, a cell no import may use (text too long, a control
        character) is an error of its row and column there and its row is left out; without it, such a
        cell stops the reading with a ValidationError."""
        table = open_table(path, filename, self.columns)
        self.sheet = table.sheet
        self.columns_given = set(table.columns)  # the keys of the columns the file has
        if outcome is not None:
            table.report = lambda row, key, message: self.error(outcome, row, key, ValidationError(message))
        batch = []
        rows = table.records([c.key for c in self.columns]) if self.positional else table.rows()
        for number, values in rows:
            batch.append((number, values))
            if len(batch) >= BATCH_SIZE:
                yield batch
                batch = []
        if batch:
            yield batch

    def error(self, outcome: Outcome, row: int, column_key: str, error):
        header = next((c.header for c in self.columns if c.key == column_key), column_key)
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        for message in messages:
            outcome.add_error(RowError(self.sheet, row, header, message))

    def warn(self, outcome: Outcome, row: int, column_key: str, message: str):
        header = next((c.header for c in self.columns if c.key == column_key), column_key)
        outcome.add_warning(RowError(self.sheet, row, header, message))
