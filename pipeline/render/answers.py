"""The form kept in memory between builds (`pack assemble --watch`): an edited answer is
rendered again and put in place of its old content; the other answers, the contents, the
sign-off and the plan are kept as they were rendered.

The first build renders the whole form as usual, each answer's content tagged so that it can be
found in the document docxtpl made (the tags are removed before the document is saved). After
that, a build where only answers changed renders just those answers into the same document part
(so their lists, links, pictures and footnotes are created where Word looks for them), removes
what the old content alone used, and saves. Anything else changed (pack.toml, the plan, the
template or form file, the window, a picture an answer shows) renders the whole form again. The
DOCX written is still the one source of what is converted: equivalent, element for element, to
one rendered from scratch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap, qn

from pipeline.files import atomic_path
from pipeline.word.footnotes import attach_footnotes

if TYPE_CHECKING:
    from pipeline.form import Form
    from pipeline.markdown.renderer import WordContent
    from pipeline.model import Answer, Pack
    from pipeline.window import Window

TAG = "{urn:tc-pack:render}answer"
"""The attribute that marks an answer's elements between docxtpl's render and the save."""
_NUMBERS = ".//w:numPr/w:numId/@w:val"
_RELATIONSHIPS = ".//@r:id | .//@r:embed | .//@r:link"
_NOTES = ".//w:footnoteReference/@w:id"


def answer_key(answer: Answer, pictures: list[Path]) -> str:
    """What an answer's content is made from: its text, its file's name and its pictures."""
    h = hashlib.sha256()
    for part in (str(answer.path).encode(), answer.text.encode()):
        h.update(len(part).to_bytes(8, "big") + part)
    for picture in pictures:
        data = picture.read_bytes()
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


@dataclass
class KeptForm:
    """One pack's form as last rendered: the document, and each answer's elements in it."""

    target: Path
    rest: tuple[Any, ...]
    """What the rest of the form was made from (the pack without its answers, the form, the
    window, the template's bytes): when it changes, the whole form is rendered again."""
    document: Any = None
    answers: dict[int, tuple[str, list[Any]]] = field(default_factory=dict)
    """Question number -> (its answer's key, its elements in the document's body)."""

    def tag(self, content: WordContent, number: int) -> WordContent:
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
    """The forms of every pack a long-lived build renders (watch), by target path."""

    def __init__(self) -> None:
        self.kept: dict[Path, KeptForm] = {}
        self.last: tuple[int, ...] | None = None
        """The answers the last render re-rendered; None if it rendered the whole form."""

    def render(self, pack: Pack, form: Form, window: Window, target: Path, title: str) -> str:
        """Write the form to `target`, rendering only the answers that changed when the rest
        is as last rendered; what was rendered, in words (`title` is the form's)."""
        from pipeline.render.template import answer_pictures, render_form

        rest = (replace(pack, answers=()), form, window, form.template.read_bytes())
        keys = {a.number: answer_key(a, answer_pictures(a)) for a in pack.answers}
        kept = self.kept.get(target)
        if (
            kept is not None
            and kept.rest == rest
            and kept.document is not None
            and set(kept.answers) == set(keys)
            and target.is_file()
        ):
            changed = tuple(n for n, key in keys.items() if kept.answers[n][0] != key)
            answers = {a.number: a for a in pack.answers}
            for number in changed:
                _replace(kept, number, keys[number], answers[number])
            if changed:
                with atomic_path(target) as tmp:
                    kept.document.save(str(tmp))
            self.last = changed
            if not changed:
                return f"no answer of the {title} (nothing in it changed)"
            return f"{'answer' if len(changed) == 1 else 'answers'} {', '.join(map(str, changed))} of the {title}"
        kept = KeptForm(target, rest)
        self.kept[target] = kept
        render_form(
            pack, form, window, target, mark=kept.tag,
            finish=lambda document: kept.find(document, keys), numbered=True,
        )  # fmt: skip
        self.last = None
        return title


def _replace(kept: KeptForm, number: int, key: str, answer: Answer) -> None:
    """Render answer `number` into the kept document in place of its old content."""
    from pipeline.render.template import answer_content

    document = kept.document
    part = document.part
    _, old = kept.answers[number]
    content = answer_content(answer, part)
    attach_footnotes(part)
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
