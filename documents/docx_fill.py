"""Word templates with named fields, filled without running anything the template says.

A template is a .docx written in Word by a province: its own issuing body, signer, logo, wording, fonts
and margins, with `{{ field }}` where the system writes a value (the area's name, the place and date…)
and one paragraph holding only a block field such as `{{ body }}` where the drafted content goes.

Nothing in a template is evaluated: a field is a name looked up in the values the document kind lists
(fields.py), so the only thing a template can do is place those values. Everything else a template
language would allow — attribute access (`{{ ''.__class__ }}`), filters, calls, arithmetic, `{% %}`
statements — is refused when the template is uploaded (`check`), with the place it was found, and
checked again before each fill. A field split by Word over several runs (a spelling mark, a change of
format half-way) is read across them; its value takes the format of the run where the field begins.

A repeating field belongs to a list the kind declares (an annex's subjects, a decision's legal grounds):
its line is written once per item of the list — the table row holding it for a list of rows, the
paragraph holding it for a list of paragraphs. Several rows of one list in a table are repeated together,
item by item, and a repeated line whose fields are all empty for an item is left out (so a group's
heading row appears only on the item that opens the group).
"""

import copy
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FIELD = re.compile(r"\{\{(.*?)\}\}", re.S)
NAME = re.compile(r"[a-z][a-z0-9_]*")
STATEMENT = re.compile(r"\{%|%\}|\{#|#\}")
MAIN = "word/document.xml"
DOCX_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAX_COMPRESSION_RATIO = 100
MAX_PROBLEMS = 12
W_P, W_T, W_TR = qn("w:p"), qn("w:t"), qn("w:tr")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True)
class FieldSpec:
    """What a template of one kind may use: field names, the block fields (a whole paragraph replaced by
    content) and those it must use."""

    names: frozenset[str]
    blocks: frozenset[str]
    required: frozenset[str]
    # repeating field -> its list; the lists whose line is a table row (the others repeat a paragraph)
    repeats: dict = field(default_factory=dict)
    row_lists: frozenset[str] = frozenset()


# Opening ------------------------------------------------------------------------------------------


def open_docx(data: bytes):
    """The Word document in `data`, or a clear refusal: not a .docx, damaged, a macro document, too big
    unpacked."""
    if len(data) > settings.KHUYENHOC_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(settings.KHUYENHOC_MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    not_docx = _("The file is not a Word document (.docx): save it in Word as “Word Document (*.docx)” and upload it.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ValidationError(not_docx, code="not_docx") from error
    with archive:
        members = archive.infolist()
        if MAIN not in {m.filename for m in members}:
            raise ValidationError(not_docx, code="not_docx")
        total = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        if total > settings.KHUYENHOC_MAX_UNPACKED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
            raise ValidationError(
                _("The file unpacks to far more data than a Word document holds; it was refused."), code="zip_bomb"
            )
    try:
        word = WordDocument(io.BytesIO(data))
    except ValueError as error:  # python-docx: another content type, e.g. a macro-enabled .docm
        raise ValidationError(
            _("The file is a Word document with macros or of another type: save it as a plain .docx."),
            code="not_docx",
        ) from error
    except Exception as error:  # a damaged part: lxml, KeyError for a missing relationship…
        raise ValidationError(_("The Word document is damaged and cannot be opened."), code="corrupt") from error
    if word.part.content_type != DOCX_MAIN_TYPE:
        raise ValidationError(not_docx, code="not_docx")
    return word


# Where fields may be ------------------------------------------------------------------------------


def _places(word):
    """(XML root, where, is the main body) of every part whose text is filled: the body, then each
    header and footer (first page, even pages, default) once."""
    yield word.element.body, _("the body"), True
    seen = []
    for section in word.sections:
        for kind, label in (
            ("header", _("a page header")),
            ("first_page_header", _("a page header")),
            ("even_page_header", _("a page header")),
            ("footer", _("a page footer")),
            ("first_page_footer", _("a page footer")),
            ("even_page_footer", _("a page footer")),
        ):
            part = getattr(section, kind)
            if part.is_linked_to_previous:
                continue
            element = part._element
            if any(element is other for other in seen):
                continue
            seen.append(element)
            yield element, label, False


def _texts(paragraph) -> list:
    """The paragraph's own text nodes in order (not those of a text box's paragraphs inside it)."""
    return [t for t in paragraph.iter(W_T) if next(t.iterancestors(W_P), None) is paragraph]


def _paragraphs(root):
    for paragraph in root.iter(W_P):
        nodes = _texts(paragraph)
        yield paragraph, nodes, "".join(t.text or "" for t in nodes)


def _other_parts_with_fields(word) -> list[str]:
    """Footnotes, comments, text in charts…: parts the fill does not reach; a field there is refused."""
    reached = {word.part.partname}
    for section in word.sections:
        for kind in (
            "header",
            "first_page_header",
            "even_page_header",
            "footer",
            "first_page_footer",
            "even_page_footer",
        ):
            part = getattr(section, kind)
            if not part.is_linked_to_previous:
                reached.add(part.part.partname)
    found = []
    for part in word.part.package.iter_parts():
        name = str(part.partname)
        if part.partname in reached or not (name.startswith("/word/") and name.endswith(".xml")):
            continue
        blob = part.blob
        if b"{{" in blob or b"{%" in blob:
            found.append(name.rsplit("/", 1)[-1])
    return found


# Checking ------------------------------------------------------------------------------------------


def _tag(name: str) -> str:
    return "{{ " + name + " }}"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


def check(word, spec: FieldSpec) -> list[str]:
    """The fields the template uses, in order of first use; a ValidationError listing every problem
    (up to a dozen) with where it is, if it uses anything but the listed fields as they may be used."""
    problems: list[str] = []
    used: list[str] = []
    block_count: dict[str, int] = {}
    rows: list = []  # (table row, its list): a row repeats for one list only
    for root, where, is_body in _places(word):
        for paragraph, _nodes, text in _paragraphs(root):
            if "{" not in text and "}" not in text:
                continue
            place = _("in %(where)s, paragraph “%(text)s”") % {"where": where, "text": _excerpt(text)}
            if STATEMENT.search(text):
                problems.append(
                    _(
                        "%(place)s: statements {%% … %%} and comments {# … #} are not allowed; "
                        "a template holds only fields such as {{ area_name }}."
                    )
                    % {"place": place}
                )
            matches = list(FIELD.finditer(text))
            rest = FIELD.sub("", text)
            if "{{" in rest or "}}" in rest:
                problems.append(
                    _("%(place)s: a field is not closed; write each field whole on one line, as {{ area_name }}.")
                    % {"place": place}
                )
            for match in matches:
                name = match.group(1).strip()
                shown = _tag(_excerpt(match.group(1).strip()))
                if not NAME.fullmatch(name):
                    problems.append(
                        _(
                            "%(place)s: “%(field)s” is not allowed: write only the name of a listed field, "
                            "without dots, brackets, filters, quotes or calculations."
                        )
                        % {"place": place, "field": shown}
                    )
                    continue
                if name not in spec.names:
                    problems.append(
                        _(
                            "%(place)s: there is no field “%(field)s” for this kind of document; "
                            "use only the listed fields."
                        )
                        % {"place": place, "field": shown}
                    )
                    continue
                if name in spec.repeats:
                    problem = _repeat_problem(spec, name, paragraph, text, rows)
                    if problem:
                        problems.append(_("%(place)s: %(problem)s") % {"place": place, "problem": problem})
                if name in spec.blocks:
                    block_count[name] = block_count.get(name, 0) + 1
                    alone = text.strip() == match.group(0) and paragraph.getparent() is root and is_body
                    if not alone:
                        problems.append(
                            _(
                                "%(place)s: the field %(field)s must stand alone in its own paragraph "
                                "in the body of the document "
                                "(not in a table, a text box, a header or a footer)."
                            )
                            % {"place": place, "field": _tag(name)}
                        )
                if name not in used:
                    used.append(name)
    for name, times in sorted(block_count.items()):
        if times > 1:
            problems.append(
                _("The field %(field)s is used %(count)d times; it may be used once.")
                % {"field": _tag(name), "count": times}
            )
    for part in _other_parts_with_fields(word):
        problems.append(
            _(
                "Fields are filled only in the body, headers and footers; "
                "remove those in %(part)s (footnotes, comments, charts)."
            )
            % {"part": part}
        )
    missing = sorted(spec.required - set(used))
    if missing:
        problems.append(
            _("The template lacks the required field(s) %(fields)s.")
            % {"fields": ", ".join(_tag(name) for name in missing)}
        )
    if problems:
        if len(problems) > MAX_PROBLEMS:
            hidden = len(problems) - MAX_PROBLEMS
            problems = problems[:MAX_PROBLEMS] + [_("…and %(count)d more.") % {"count": hidden}]
        raise ValidationError(problems, code="template")
    return used


def _repeat_problem(spec: FieldSpec, name: str, paragraph, text: str, rows: list) -> str:
    """What is wrong with where the repeating field `name` stands, or ""."""
    own = spec.repeats[name]
    others = {spec.repeats[n] for n in _names(text) if n in spec.repeats} - {own}
    if others:
        return _("fields of two different lists cannot share one line.")
    if own not in spec.row_lists:
        around = list(paragraph.iterancestors(W_TR))
        if any(seen is row and listed in spec.row_lists for row in around for seen, listed in rows):
            return _("fields of two different lists cannot share one table row.")
        rows.extend((row, own) for row in around)
        return ""
    row = next(paragraph.iterancestors(W_TR), None)
    if row is None:
        return _("the field %(field)s is repeated for each row: put it in a row of a table.") % {"field": _tag(name)}
    if any(seen is row and seen_list != own for seen, seen_list in rows):
        return _("fields of two different lists cannot share one table row.")
    rows.append((row, own))
    return ""


def _names(text: str) -> list[str]:
    return [m.group(1).strip() for m in FIELD.finditer(text)]


# Filling -------------------------------------------------------------------------------------------


def _replace(nodes, matches, values) -> None:
    """Put each match's value in the text nodes, last match first: what an earlier match reads (the
    text before a later match) is never changed by a later one."""
    texts = [t.text or "" for t in nodes]
    spans, position = [], 0
    for text in texts:
        spans.append((position, position + len(text)))
        position += len(text)

    def node_of(char: int) -> int:
        return next(index for index, (start, end) in enumerate(spans) if start <= char < end)

    for match in reversed(matches):
        value = values[match.group(1).strip()]
        first, last = node_of(match.start()), node_of(match.end() - 1)
        head = match.start() - spans[first][0]
        tail = match.end() - spans[last][0]
        if first == last:
            texts[first] = texts[first][:head] + value + texts[first][tail:]
        else:
            texts[last] = texts[last][tail:]
            for middle in range(first + 1, last):
                texts[middle] = ""
            texts[first] = texts[first][:head] + value
    for node, text in zip(nodes, texts, strict=True):
        if node.text != text:
            node.text = text
            node.set(XML_SPACE, "preserve")


def _fill_paragraph(paragraph, nodes, text, values, *, keep_empty=False) -> None:
    """The paragraph's fields replaced by their values; a paragraph whose fields are all empty is taken
    out (unless it is the only paragraph of a table cell, which Word needs, or `keep_empty`)."""
    matches = list(FIELD.finditer(text))
    names = [m.group(1).strip() for m in matches]
    if not keep_empty and all(not str(values.get(name, "")) for name in names):
        parent = paragraph.getparent()
        if parent.tag != qn("w:tc") or len(parent.findall(W_P)) > 1:
            parent.remove(paragraph)
            return
    _replace(nodes, matches, {name: str(values.get(name, "")) for name in names})


def _repeat(lines: list, items: list[dict], values: dict, spec: FieldSpec) -> None:
    """Each item's copy of `lines` (the rows or the paragraph of one list, in order) written before the
    first of them, filled with the item's values over the document's; then the lines themselves go."""
    anchor = lines[0]
    for item in items:
        merged = {**values, **item}
        for line in lines:
            inside = list(_paragraphs(line)) if line.tag == W_TR else [(line, _texts(line), _text_of(line))]
            own = [n for _p, _n, text in inside for n in _names(text) if n in spec.repeats]
            if not any(str(merged.get(n, "")) for n in own):
                continue  # e.g. a group's heading row, written only on the item that opens the group
            made = copy.deepcopy(line)
            anchor.addprevious(made)
            targets = list(_paragraphs(made)) if made.tag == W_TR else [(made, _texts(made), _text_of(made))]
            for paragraph, nodes, text in targets:
                if FIELD.search(text):
                    _fill_paragraph(paragraph, nodes, text, merged, keep_empty=made.tag == W_TR)
    for line in lines:
        line.getparent().remove(line)


def _text_of(paragraph) -> str:
    return "".join(t.text or "" for t in _texts(paragraph))


def fill(data: bytes, spec: FieldSpec, values: dict, blocks=None):
    """The template in `data` with its fields replaced by `values` and each block field's paragraph
    replaced by what `blocks[name](word)` appends to the document. A line (paragraph) that holds fields
    whose values are all empty is left out, so an optional line — the body above, a recipient — disappears
    cleanly. A repeating field's line is written once per item of `values[list]` (a list of dicts).
    Returns the python-docx document, to be saved by the caller."""
    word = open_docx(data)
    check(word, spec)
    blocks = blocks or {}
    placeholders = {}
    # Every line to repeat, found before anything changes: (list, its rows or paragraphs in order).
    repeated: list[tuple[str, list]] = []
    plain = []
    for root, _where, _is_body in _places(word):
        for paragraph, nodes, text in list(_paragraphs(root)):
            names = _names(text)
            if not names:
                continue
            block = next((name for name in names if name in spec.blocks), None)
            if block is not None:
                placeholders[block] = paragraph
                continue
            listed = next((spec.repeats[n] for n in names if n in spec.repeats), None)
            if listed is None:
                plain.append((paragraph, nodes, text))
                continue
            line = next(paragraph.iterancestors(W_TR)) if listed in spec.row_lists else paragraph
            # Lines of one list side by side repeat together (a group's heading row and its subject's row);
            # the same list again further on repeats there on its own.
            group = next(
                (
                    lines
                    for name, lines in repeated
                    if name == listed and (lines[-1] is line or lines[-1].getnext() is line)
                ),
                None,
            )
            if group is None:
                repeated.append((listed, [line]))
            elif not any(line is other for other in group):
                group.append(line)
    in_repeated = [line for _name, lines in repeated for line in lines if line.tag == W_TR]
    for paragraph, nodes, text in plain:
        if any(row is line for row in paragraph.iterancestors(W_TR) for line in in_repeated):
            continue  # a plain field of a repeated row: filled in each item's copy
        _fill_paragraph(paragraph, nodes, text, values)
    for name, lines in repeated:
        _repeat(lines, list(values.get(name) or []), values, spec)
    body = word.element.body
    for name, paragraph in placeholders.items():
        # The elements themselves, kept alive: lxml gives the same object for an element only while one is held.
        before = list(body)
        if name in blocks:
            blocks[name](word)
        for child in [c for c in body if not any(c is old for old in before) and c.tag != qn("w:sectPr")]:
            paragraph.addprevious(child)
        body.remove(paragraph)
    return word


def append(word, other) -> None:
    """`other`'s body after `word`'s, from a new page: another copy of the same template filled for the
    next item (a village's minutes after the previous village's). What the copy refers to — styles,
    numbering, images, headers — is the same in `word`, as both come from one template; only the ids of
    drawings are renumbered, since Word wants them unique in a file."""
    body = word.element.body
    end = body.find(qn("w:sectPr"))
    brk = OxmlElement("w:br")
    brk.set(qn("w:type"), "page")
    run, breaking = OxmlElement("w:r"), OxmlElement("w:p")
    run.append(brk)
    breaking.append(run)
    moved = [breaking] + [child for child in other.element.body if child.tag != qn("w:sectPr")]
    for child in moved:
        if end is None:
            body.append(child)
        else:
            end.addprevious(child)
    ids = [int(d.get("id")) for d in body.iter(qn("wp:docPr")) if (d.get("id") or "").isdigit()]
    next_id = max(ids, default=0) + 1
    for child in moved[1:]:
        for drawing in child.iter(qn("wp:docPr")):
            drawing.set("id", str(next_id))
            next_id += 1


def grid(word, table) -> None:
    """Borders on every cell: the “Table Grid” style where the template has it (Word keeps a style in a
    file only once it is used), else the same borders written on the table itself."""
    if any(style.name == "Table Grid" for style in word.styles):
        table.style = "Table Grid"
        return
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "auto")
        borders.append(element)
    table._tbl.tblPr.append(borders)
