"""The form rendered again answer by answer: when only answers changed since the last build,
only they are rendered, into the form that build made; the other answers, the contents, the
sign-off and the plan are kept as they were.

A whole render tags each answer's content so that it can be found in the document docxtpl
made (the tags are removed before the document is saved), and records beside the form
(`<form>.answers.json`) where each answer's content sits in it and the key of everything else
it was made from. A build where only answers changed then starts from that form (kept in
memory by a long-lived build, `--watch`; read again otherwise), renders just those answers into
the same document part (so their lists, links, pictures and footnotes are created where Word
looks for them), removes what the old content alone used, and saves. Anything else changed
(pack.toml, the plan, the template or form file, the window, the code, a picture an answer
shows) renders the whole form again. The DOCX written is still the one source of what is
converted, and reads exactly as one rendered from scratch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap, qn

from pipeline.files import atomic_path
from pipeline.hashing import digest
from pipeline.word.context import DocumentContext

if TYPE_CHECKING:
    from pipeline.form import Form
    from pipeline.model import Answer, Pack
    from pipeline.window import Window
    from pipeline.word.context import WordContent

TAG = "{urn:tc-pack:render}answer"
"""The attribute that marks an answer's elements between docxtpl's render and the save."""
_NUMBERS = ".//w:numPr/w:numId/@w:val"
_RELATIONSHIPS = ".//@r:id | .//@r:embed | .//@r:link"
_NOTES = ".//w:footnoteReference/@w:id"


def answer_key(answer: Answer, pictures: list[Path]) -> str:
    """What an answer's content is made from: its text, its file's name and its pictures."""
    return digest(str(answer.path), answer.text, *(picture.read_bytes() for picture in pictures))


@dataclass
class KeptForm:
    """One pack's form as last rendered: the document, and each answer's elements in it."""

    target: Path
    rest: str
    """What the rest of the form was made from (the pack without its answers, the form, the
    window, the template's bytes): when it changes, the whole form is rendered again."""
    document: Any = None
    answers: dict[int, tuple[str, list[Any]]] = field(default_factory=dict)
    """Question number -> (its answer's key, its elements in the document's body)."""
    doc: DocumentContext | None = None
    """What was written into the document (its list numbering, its footnotes): answers
    rendered again go on from it."""

    def tag(self, content: WordContent, number: int) -> WordContent:
        self.doc = content.doc
        for element in content.body:
            element.set(TAG, str(number))
        return content

    def find(self, document: Any, keys: dict[int, str]) -> None:
        """After docxtpl's render: each answer's elements, found by their tags (then removed)."""
        from lxml import etree

        found: dict[int, list[Any]] = {}
        for element in document.element.body:
            number = element.get(TAG)
            if number is not None:
                del element.attrib[TAG]
                etree.cleanup_namespaces(element)
                found.setdefault(int(number), []).append(element)
        self.document = document
        self.answers = {n: (keys[n], found[n]) for n in keys if found.get(n)}


class KeptForms:
    """The forms a build renders, by target path: kept in memory while the build lives (watch),
    and recorded beside each form (`<form>.answers.json`: where each answer's content sits in
    it), so that the next `pack assemble` starts from the form on disk when only answers
    changed. `code` is the key of the code and libraries that render (see `stages.keys`)."""

    def __init__(self, code: str = "", memory: bool = False) -> None:
        self.code = code
        self.memory = memory
        """Whether documents stay in memory between builds (watch), or are read again."""
        self.kept: dict[Path, KeptForm] = {}
        self.last: tuple[int, ...] | None = None
        """The answers the last render re-rendered; None if it rendered the whole form."""

    def render(
        self, pack: Pack, form: Form, window: Window, target: Path, title: str, draft: bool = False
    ) -> str:
        """Write the form to `target`, rendering only the answers that changed when the rest
        is as last rendered; what was rendered, in words (`title` is the form's)."""
        from pipeline.render.form import answer_pictures, render_form

        rest = digest(
            self.code, repr(replace(pack, answers=())), repr(form), repr(window), str(draft),
            form.template.read_bytes(),
        )  # fmt: skip
        keys = {a.number: answer_key(a, answer_pictures(a)) for a in pack.answers}
        kept = self.kept.get(target)
        if kept is None or kept.document is None or not target.is_file():
            kept = _from_disk(target, rest)
        if kept is not None and kept.rest == rest and set(kept.answers) == set(keys):
            self.kept[target] = kept
            changed = tuple(n for n, key in keys.items() if kept.answers[n][0] != key)
            answers = {a.number: a for a in pack.answers}
            try:
                for number in changed:
                    _replace(kept, number, keys[number], answers[number])
                if changed:
                    _save(kept)
            except BaseException:  # half changed: the next build renders the whole form
                self.kept.pop(target, None)
                _record(target).unlink(missing_ok=True)
                raise
            self.last = changed
            self._forget(target)
            if not changed:
                return f"no answer of the {title} (nothing in it changed)"
            return f"{'answer' if len(changed) == 1 else 'answers'} {', '.join(map(str, changed))} of the {title}"
        kept = KeptForm(target, rest)
        self.kept[target] = kept
        _record(target).unlink(missing_ok=True)  # the form is about to change
        render_form(
            pack, form, window, target, mark=kept.tag,
            finish=lambda document: kept.find(document, keys), numbered=True,
            draft=draft, signed=not draft,
        )  # fmt: skip
        _write_record(kept, hashlib.sha256(target.read_bytes()).hexdigest())
        self.last = None
        self._forget(target)
        return title

    def _forget(self, target: Path) -> None:
        if not self.memory:  # a one-off build: the record on disk is what the next one reads
            self.kept.pop(target, None)


def _record(target: Path) -> Path:
    return target.with_name(f"{target.stem}.answers.json")


def _save(kept: KeptForm) -> None:
    """The kept document to its target, then the record of where its answers are."""
    import io

    buffer = io.BytesIO()
    kept.document.save(buffer)
    data = buffer.getvalue()
    _record(kept.target).unlink(missing_ok=True)
    with atomic_path(kept.target) as tmp:
        tmp.write_bytes(data)
    _write_record(kept, hashlib.sha256(data).hexdigest())


def _write_record(kept: KeptForm, sha256: str) -> None:
    if kept.document is None:
        return
    body = kept.document.element.body
    answers = {
        str(n): [key, body.index(elements[0]), len(elements)]
        for n, (key, elements) in kept.answers.items()
    }
    lists = kept.doc.numbering.abstract if kept.doc is not None else {}  # answers share them
    record = {"rest": kept.rest, "docx": sha256, "answers": answers, "lists": lists}
    with atomic_path(_record(kept.target)) as tmp:
        tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")


def _from_disk(target: Path, rest: str) -> KeptForm | None:
    """The form a previous build left, with its answers found where its record says, if the
    record is of this form (its bytes) and of this rest (`KeptForm.rest`); else None."""
    try:
        record = json.loads(_record(target).read_text(encoding="utf-8"))
        if record["rest"] != rest:
            return None
        data = target.read_bytes()
        if hashlib.sha256(data).hexdigest() != record["docx"]:
            return None
        import io

        import docx

        document = docx.Document(io.BytesIO(data))
        body = list(document.element.body)
        answers = {}
        for number, (key, start, count) in record["answers"].items():
            if count < 1 or start < 0 or start + count > len(body):
                return None
            answers[int(number)] = (str(key), body[start : start + count])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    _parse_footnotes(document.part)
    doc = DocumentContext(document.part)
    doc.numbering.abstract.update({str(k): int(v) for k, v in record.get("lists", {}).items()})
    return KeptForm(target, rest, document, answers, doc)


def _parse_footnotes(part: Any) -> None:
    """python-docx loads a document's footnotes as bytes: make them XML again, as a render
    makes them, so that footnotes can be added and removed."""
    from docx.opc.part import XmlPart
    from docx.oxml import parse_xml

    for rel in part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not hasattr(rel.target_part, "element"):
            old = rel.target_part
            rel._target = XmlPart(old.partname, old.content_type, parse_xml(old.blob), old.package)


def _replace(kept: KeptForm, number: int, key: str, answer: Answer) -> None:
    """Render answer `number` into the kept document in place of its old content."""
    from pipeline.render.form import answer_content

    document = kept.document
    if kept.doc is None:
        kept.doc = DocumentContext(document.part)
    _, old = kept.answers[number]
    content = answer_content(answer, kept.doc)
    kept.doc.attach_footnotes()
    new = list(content.body)
    for element in new:
        old[0].addprevious(element)
    numbers: set[str] = set()
    relationships: set[str] = set()
    notes: set[str] = set()
    for element in old:
        numbers |= _values(element, _NUMBERS)
        relationships |= _values(element, _RELATIONSHIPS)
        notes |= _values(element, _NOTES)
        element.getparent().remove(element)
    kept.answers[number] = (key, new)
    _drop_unused(document, numbers, relationships, notes)


def _values(tree: Any, path: str) -> set[str]:
    """The values `path` selects under `tree` (any lxml element, python-docx's or not)."""
    from lxml import etree

    return {str(v) for v in etree._Element.xpath(tree, path, namespaces=nsmap)}


def _drop_unused(
    document: Any, numbers: set[str], relationships: set[str], notes: set[str]
) -> None:
    """Remove the list numbering, relationships and footnotes nothing refers to any more (a
    footnote's own text counts: its links and lists live in the document part too)."""
    part = document.part
    footnotes = next(
        (
            getattr(rel.target_part, "element", None)  # ours; a template's own is not parsed
            for rel in part.rels.values()
            if rel.reltype == RT.FOOTNOTES
        ),
        None,
    )
    trees = [document.element] if footnotes is None else [document.element, footnotes]
    if footnotes is not None:
        referenced = _values(document.element, _NOTES)
        for note in footnotes.findall(qn("w:footnote")):
            if note.get(qn("w:id")) in notes - referenced:
                numbers |= _values(note, _NUMBERS)  # what its own text used may go too
                relationships |= _values(note, _RELATIONSHIPS)
                footnotes.remove(note)
    used_numbers: set[str] = set()
    used_relationships: set[str] = set()
    for tree in trees:
        used_numbers |= _values(tree, _NUMBERS)
        used_relationships |= _values(tree, _RELATIONSHIPS)
    numbering = part.numbering_part.element
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) in numbers - used_numbers:
            numbering.remove(num)
    for r_id in relationships - used_relationships:
        if r_id in part.rels:
            del part.rels[r_id]
