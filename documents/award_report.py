"""The review report's section on awards (công tác khen thưởng): the certificates of merit published in
its period by the area's bodies and those under them, in sentences and as a table."""

from awards.decisions import RECIPIENT_RELATED, awarded_in
from awards.models import COLLECTIVES, Recipient

from .numbers import count

NONE = (
    "Trong giai đoạn này, hệ thống chưa ghi nhận quyết định khen thưởng nào đã ban hành, nên báo cáo chưa liệt kê "
    "các tập thể, dòng họ, gia đình, cá nhân được khen thưởng."
)
WORDS = [
    ("collective", "tập thể"),
    (Recipient.CLAN, "dòng họ"),
    (Recipient.HOUSEHOLD, "gia đình"),
    (Recipient.PERSON, "cá nhân"),
]


def _group(recipient: str) -> str:
    return "collective" if recipient in COLLECTIVES else recipient


def _phrase(nominations) -> str:
    counts = {}
    for nomination in nominations:
        key = _group(nomination.recipient)
        counts[key] = counts.get(key, 0) + 1
    parts = [f"{count(counts[key])} {word}" for key, word in WORDS if counts.get(key)]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def read(area, tree: str, years: list[int]) -> list[tuple]:
    """[(decision, its recipients)] of the published award decisions dated in the years."""
    found = []
    for decision in awarded_in(area, years[0], years[-1], tree=tree):
        recipients = list(decision.nominations.select_related("area", *RECIPIENT_RELATED).order_by("recipient", "id"))
        found.append((decision, recipients))
    return found


def sentences(read_awards) -> list[str]:
    if not read_awards:
        return [NONE]
    total = [n for _decision, recipients in read_awards for n in recipients]
    said = [f"Trong giai đoạn, đã có {_phrase(total)} được khen thưởng theo {count(len(read_awards))} quyết định:"]
    for decision, recipients in read_awards:
        said.append(
            f"{decision.issuing_body} tặng {decision.kind.name} cho {_phrase(recipients)} "
            f"(Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y});"
        )
    return said


def rows(read_awards) -> list[list[str]]:
    """One row per recipient: the award, the decision, the recipient and where."""
    return [
        [f"{decision.number} ({decision.date:%d/%m/%Y})", decision.kind.name, n.recipient_name, n.recipient_place]
        for decision, recipients in read_awards
        for n in recipients
    ]


HEADER = ["Quyết định", "Hình thức khen thưởng", "Tập thể, gia đình, cá nhân", "Nơi"]


def write(word, area, tree: str, years: list[int], body, table) -> None:
    """The section into the review report, with the report's own paragraph (`body`) and table (`table`)."""
    found = read(area, tree, years)
    said = sentences(found)
    body(word, said[:1])
    for line in said[1:]:
        body(word, ["- " + line])
    if found:
        table(word, HEADER, rows(found))
