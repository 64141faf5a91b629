"""How the history words an import's own entry (see audit.wording): how many records it saved."""

from django.utils.translation import gettext_lazy

from audit.wording import Key, describe_records


def describe() -> None:
    describe_records(
        "imports.importjob",
        keys={
            "create": Key(label=gettext_lazy("records added")),
            "update": Key(label=gettext_lazy("records changed")),
            "unchanged": Key(label=gettext_lazy("records unchanged")),
        },
    )
