"""What the tests of the documents made from a recognition decision share: the households' marks, making
a file from the command line, and reading the Word and PDF files back."""

import io
import re

import docx
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from evaluations import decisions

LEAVES = ["1.1", "1.2", "1.3", "2.1", "2.2", "3", "4"]
# Each household's marks, in the order of LEAVES (the illustration set asks for 70 of 100).
MARKS = {
    "Hoàng Văn An": [10, 10, 10, 10, 20, 20, 20],
    "Lý Thị Bình": [8, 9, 10, 7, 15, 18, 12],
    "Đàm Văn Cường": [5, 5, 5, 5, 10, 5, 5],  # 40: not achieved, scored at the meeting, not proposed
    "Nông Thị Dung": [10, 10, 9, 10, 20, 19, 20],
    "Triệu Văn Ém": [10, 10, 10, 10, 18, 17, 16],
}
VILLAGE_OF = {
    "Hoàng Văn An": "song_cau_1",
    "Lý Thị Bình": "song_cau_1",
    "Đàm Văn Cường": "song_cau_1",
    "Nông Thị Dung": "song_cau_2",
    "Triệu Văn Ém": "song_cau_2",
}
RECOGNISED = ["Hoàng Văn An", "Lý Thị Bình", "Nông Thị Dung", "Triệu Văn Ém"]


def publish(decision, people):
    return decisions.decision_publish(actor=people["commune_officer"], decision=decision)


def make(kind, decision, tmp_path, name):
    out = tmp_path / name
    call_command("make_document", kind, "--decision", str(decision.pk), "--out", str(out), stdout=io.StringIO())
    return out


def docx_lines(path) -> list[str]:
    """Every paragraph and table cell's text in reading order, one line each."""
    document = docx.Document(path)
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [c for c in row if c.tag.endswith("}tc")]
                    lines.append(
                        " | ".join(
                            "\n".join(
                                "".join(t.text or "" for t in p.iter() if t.tag.endswith("}t"))
                                for p in c
                                if p.tag.endswith("}p")
                            )
                            for c in cells
                        )
                    )
    return lines


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def ask(client, decision, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("documents:for_decision", args=[decision.pk]), {"kind": kind})


def word_file(*paragraphs, rows=()) -> bytes:
    """A Word file with these paragraphs, then a table of these rows (each a list of cell texts)."""
    word = docx.Document()
    for text in paragraphs:
        word.add_paragraph(text)
    if rows:
        table = word.add_table(rows=len(rows), cols=len(rows[0]))
        for row, texts in zip(table.rows, rows, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
