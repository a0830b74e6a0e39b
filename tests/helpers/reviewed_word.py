"""Word files holding an unfinished review, written as the programs that make them write them:
every kind of tracked change and comment, in the body, a table, a header, a footer and a
footnote, for `tests/test_word_packages.py`.

The shapes differ where real files differ: Word's own (revision ids, paragraph ids, markup
compatibility, comments' replies in `commentsExtended.xml`, `people.xml`), Word for the web
(its main part `word/document2.xml`), Word's "Strict Open XML" (another namespace), a
comparison tool's output (Open-XML-PowerTools: changes around every run, no revision ids on
some), PHPWord's and POI's (the namespace as the default one, or with another prefix, no
styles or settings part, `.xml` parts typed by a default).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"


@dataclass(frozen=True)
class Shape:
    """How one program writes a Word file."""

    name: str
    prefix: str = "w"
    """The prefix Word's namespace has ('' for the default namespace)."""
    strict: bool = False
    main: str = "word/document.xml"
    word_extras: bool = False
    """Revision ids, paragraph ids, markup compatibility, replies, people.xml."""
    ids: bool = True
    """Whether changes carry `w:id` (some generators leave it out)."""
    styles: bool = True
    """Whether it writes styles and settings parts (POI's and PHPWord's from scratch may not)."""


SHAPES = (
    Shape("word", word_extras=True),
    Shape("word-for-the-web", word_extras=True, main="word/document2.xml"),
    Shape("word-strict", strict=True),
    Shape("powertools", ids=False),
    Shape("phpword", prefix=""),
    Shape("poi", prefix="ns0", styles=False),
)

EXPECTED_BODY = [
    "Kept one inserted words end one.",
    "Second paragraph.",
    "Third moved here.",
    "Bold styled.",
    "Joined first half and second half.",
    "Commented text stays.",
    "Cell kept cell insert",
    "Row inserted",
]
"""The body's paragraphs (table cells included) with every change accepted."""
EXPECTED_HEADER = ["Header added"]
EXPECTED_FOOTER = ["Footer kept"]
EXPECTED_NOTE = ["Note new text."]
GONE = ("deleted words", "Row deleted", "Paragraph removed", "struck out", "obsolete")
"""Text that accepting the changes removes (the moved words stay once)."""
CHANGES = 19
"""Tracked changes each file holds (as `counts` counts them)."""
COMMENTS = 6
"""Comments: one in the body and a reply to it, one each in a table cell, the header, the
footer and the footnote."""


class _Writer:
    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.next_id = 100

    def t(self, tag: str) -> str:
        """An element's name."""
        return f"{self.shape.prefix}:{tag}" if self.shape.prefix else tag

    def a(self, name: str) -> str:
        """An attribute's name: always prefixed (an unprefixed attribute is in no namespace,
        even where the elements' namespace is the default one)."""
        return f"{self.shape.prefix or 'w'}:{name}"

    def attrs(self, kind: str = "change") -> str:
        a = self.a
        found = f' {a("author")}="Rita Reviewer" {a("date")}="2026-11-01T10:00:00Z"'
        if self.shape.ids or kind != "change":
            self.next_id += 1
            found = f' {a("id")}="{self.next_id}"' + found
        return found

    def ns(self) -> str:
        uri = STRICT if self.shape.strict else TRANSITIONAL
        rel = _STRICT_REL if self.shape.strict else _REL
        own = (
            f' xmlns:{self.shape.prefix}="{uri}"'
            if self.shape.prefix
            else f' xmlns="{uri}" xmlns:w="{uri}"'
        )
        extra = (
            ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
            ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
            ' mc:Ignorable="w14"'
            if self.shape.word_extras
            else ""
        )
        return f'{own} xmlns:r="{rel}"{extra}'

    def para_id(self) -> str:
        if not self.shape.word_extras:
            return ""
        self.next_id += 1
        return f' w14:paraId="{self.next_id:08X}" {self.a("rsidR")}="00AB12CD"'

    def run(self, text: str, deleted: bool = False, bold: bool = False) -> str:
        w = self.t
        props = f"<{w('rPr')}><{w('b')}/></{w('rPr')}>" if bold else ""
        tag = w("delText") if deleted else w("t")
        return f'<{w("r")}>{props}<{tag} xml:space="preserve">{text}</{tag}></{w("r")}>'

    def change(self, kind: str, text: str) -> str:
        deleted = kind in ("del", "moveFrom")
        return f"<{self.t(kind)}{self.attrs()}>{self.run(text, deleted)}</{self.t(kind)}>"

    def p(self, *content: str, mark: str = "", props: str = "") -> str:
        w = self.t
        mark_xml = f"<{w('rPr')}><{w(mark)}{self.attrs()}/></{w('rPr')}>" if mark else ""
        p_pr = f"<{w('pPr')}>{props}{mark_xml}</{w('pPr')}>" if mark or props else ""
        return f"<{w('p')}{self.para_id()}>{p_pr}{''.join(content)}</{w('p')}>"

    def commented(self, text: str, ident: int) -> str:
        """`text` with comment `ident` on it: its range and its reference."""
        w, a = self.t, self.a
        return (
            f'<{w("commentRangeStart")} {a("id")}="{ident}"/>{self.run(text)}'
            f'<{w("commentRangeEnd")} {a("id")}="{ident}"/>'
            f'<{w("r")}><{w("commentReference")} {a("id")}="{ident}"/></{w("r")}>'
        )

    def range_mark(self, kind: str, name: str = "") -> str:
        named = f' {self.a("name")}="move1"' if name else ""
        return f"<{self.t(kind)}{self.attrs('range')}{named}/>"

    def body(self) -> str:
        w, a, r, ch = self.t, self.a, self.run, self.change
        comment = self.commented("Commented text", 0) + r(" stays.")
        row = f"<{w('tr')}>{{props}}<{w('tc')}>{{cell}}</{w('tc')}></{w('tr')}>"
        table = (
            f'<{w("tbl")}><{w("tblPr")}><{w("tblW")} {a("w")}="0" {a("type")}="auto"/>'
            f'</{w("tblPr")}><{w("tblGrid")}><{w("gridCol")} {a("w")}="4000"/></{w("tblGrid")}>'
            + row.format(
                props="", cell=self.p(self.commented("Cell kept ", 2), ch("ins", "cell insert"))
            )
            + row.format(
                props=f"<{w('trPr')}><{w('del')}{self.attrs()}/></{w('trPr')}>",
                cell=self.p(ch("del", "Row deleted")),
            )
            + row.format(
                props=f"<{w('trPr')}><{w('ins')}{self.attrs()}/></{w('trPr')}>",
                cell=self.p(ch("ins", "Row inserted")),
            )
            + f"</{w('tbl')}>"
        )
        note = f'<{w("r")}><{w("footnoteReference")} {a("id")}="1"/></{w("r")}>'
        formatted = (
            f"<{w('r')}><{w('rPr')}><{w('b')}/><{w('rPrChange')}{self.attrs()}><{w('rPr')}/>"
            f"</{w('rPrChange')}></{w('rPr')}><{w('t')}>styled</{w('t')}></{w('r')}>"
        )
        moved_props = (
            f'<{w("jc")} {a("val")}="center"/><{w("pPrChange")}{self.attrs()}><{w("pPr")}/>'
            f"</{w('pPrChange')}>"
        )
        paragraphs = [
            self.p(
                r("Kept one "), ch("ins", "inserted words "), ch("del", "deleted words "),
                r("end one."), note,
            ),
            self.p(
                r("Second "), self.range_mark("moveFromRangeStart", "move1"),
                ch("moveFrom", "moved "), self.range_mark("moveFromRangeEnd"), r("paragraph."),
            ),
            self.p(
                r("Third "), self.range_mark("moveToRangeStart", "move1"), ch("moveTo", "moved "),
                self.range_mark("moveToRangeEnd"), r("here."),
            ),
            self.p(r("Bold "), formatted, r("."), props=moved_props),
            self.p(r("Joined first half "), mark="del"),
            self.p(r("and second half.")),
            self.p(ch("del", "Paragraph removed"), mark="del"),
            self.p(comment, mark="ins"),
            table,
            self.p(),
        ]  # fmt: skip
        section = (
            f'<{w("sectPr")}><{w("headerReference")} {a("type")}="default" r:id="rIdH"/>'
            f'<{w("footerReference")} {a("type")}="default" r:id="rIdF"/>'
            f'<{w("pgSz")} {a("w")}="11906" {a("h")}="16838"/></{w("sectPr")}>'
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f"<{w('document')}{self.ns()}><{w('body')}>{''.join(paragraphs)}{section}"
            f"</{w('body')}></{w('document')}>"
        )

    def story(self, root: str, *paragraphs: str, note: bool = False) -> str:
        w, a = self.t, self.a
        inner = "".join(paragraphs)
        if note:
            separator = f'<{w("footnote")} {a("type")}="separator" {a("id")}="-1">{self.p()}</{w("footnote")}>'
            inner = f'{separator}<{w("footnote")} {a("id")}="1">{inner}</{w("footnote")}>'
        return f'<?xml version="1.0" encoding="UTF-8"?><{w(root)}{self.ns()}>{inner}</{w(root)}>'

    def comments(self) -> str:
        w, a = self.t, self.a
        first = (
            f'<{w("comment")} {a("id")}="0" {a("author")}="Rita Reviewer" {a("initials")}="RR">'
            f"{self.p(self.run('Is this right?'))}</{w('comment')}>"
        )
        reply = (
            f'<{w("comment")} {a("id")}="1" {a("author")}="Sam Lead" {a("initials")}="SL">'
            f"{self.p(self.run('Yes, checked.'))}</{w('comment')}>"
        )
        others = (
            f'<{w("comment")} {a("id")}="{ident}" {a("author")}="Rita Reviewer">'
            f"{self.p(self.run(f'Remark {ident}'))}</{w('comment')}>"
            for ident in range(2, 6)
        )
        return self.story("comments", first, reply, *others)


def _types(shape: Shape) -> str:
    main_type = f"{_WML}.document.main+xml"
    overrides = {
        shape.main: main_type,
        "word/header1.xml": f"{_WML}.header+xml",
        "word/footer1.xml": f"{_WML}.footer+xml",
        "word/footnotes.xml": f"{_WML}.footnotes+xml",
        "word/comments.xml": f"{_WML}.comments+xml",
    }
    if shape.styles:
        overrides["word/styles.xml"] = f"{_WML}.styles+xml"
        overrides["word/settings.xml"] = f"{_WML}.settings+xml"
    if shape.word_extras:
        overrides["word/commentsExtended.xml"] = f"{_WML}.commentsExtended+xml"
        overrides["word/people.xml"] = f"{_WML}.people+xml"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="/{n}" ContentType="{t}"/>' for n, t in overrides.items())
        + "</Types>"
    )


def _rels(shape: Shape, items: dict[str, str]) -> str:
    base = _STRICT_REL if shape.strict else _REL
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{base}/{kind}" Target="{target}"/>'
            for rid, (kind, target) in ((k, v.split(" ")) for k, v in items.items())
        )
        + "</Relationships>"
    )


def reviewed_docx(shape: Shape) -> bytes:
    """A Word file, written as `shape` says, holding every kind of tracked change (`CHANGES`)
    and a comment with its reply (`COMMENTS`)."""
    writer = _Writer(shape)
    w, a, ch, r = writer.t, writer.a, writer.change, writer.run
    main_name = shape.main.rsplit("/", 1)[1]
    document_rels = {
        "rIdH": "header header1.xml",
        "rIdF": "footer footer1.xml",
        "rIdN": "footnotes footnotes.xml",
        "rIdC": "comments comments.xml",
    }
    parts = {
        "[Content_Types].xml": _types(shape),
        "_rels/.rels": _rels(shape, {"rId1": f"officeDocument {shape.main}"}),
        shape.main: writer.body(),
        "word/header1.xml": writer.story(
            "hdr", writer.p(writer.commented("Header ", 3), ch("ins", "added"))
        ),
        "word/footer1.xml": writer.story(
            "ftr", writer.p(writer.commented("Footer ", 4), ch("del", "struck out "), r("kept"))
        ),
        "word/footnotes.xml": writer.story(
            "footnotes",
            writer.p(
                writer.commented("Note ", 5),
                ch("del", "obsolete "),
                ch("ins", "new "),
                r("text."),
            ),
            note=True,
        ),
        "word/comments.xml": writer.comments(),
    }
    if shape.styles:
        document_rels["rIdS"] = "styles styles.xml"
        document_rels["rIdT"] = "settings settings.xml"
        parts["word/styles.xml"] = writer.story(
            "styles",
            f'<{w("style")} {a("type")}="paragraph" {a("default")}="1" {a("styleId")}="Normal">'
            f'<{w("name")} {a("val")}="Normal"/></{w("style")}>',
        )
        parts["word/settings.xml"] = writer.story("settings", f"<{w('trackRevisions')}/>")
    if shape.word_extras:
        document_rels["rIdX"] = "commentsExtended commentsExtended.xml"
        document_rels["rIdP"] = "people people.xml"
        ext = "http://schemas.microsoft.com/office/word/2012/wordml"
        parts["word/commentsExtended.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><w15:commentsEx xmlns:w15="{ext}">'
            '<w15:commentEx w15:paraId="00000001" w15:done="0"/>'
            '<w15:commentEx w15:paraId="00000002" w15:paraIdParent="00000001" w15:done="0"/>'
            "</w15:commentsEx>"
        )
        parts["word/people.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><w15:people xmlns:w15="{ext}">'
            '<w15:person w15:author="Rita Reviewer"/></w15:people>'
        )
    parts[f"word/_rels/{main_name}.rels"] = _rels(shape, document_rels)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(shape: Shape, path: Path) -> Path:
    path.write_bytes(reviewed_docx(shape))
    return path


def _typed(element: object) -> bool:
    return any(element.get(f"{{{ns}}}type") for ns in (TRANSITIONAL, STRICT))  # type: ignore[attr-defined]


def paragraphs(path: Path, part: str) -> list[str]:
    """The text of each paragraph of one part (`main` for the main part), as shown: `w:t`
    only, in either namespace."""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        if part == "main":
            part = next(n for n in archive.namelist() if n.startswith("word/document"))
        root = etree.fromstring(archive.read(part))
    found = []
    for p in root.iter("{*}p"):
        if any(a.tag.endswith("}comment") for a in p.iterancestors()):
            continue
        if any(a.tag.endswith("}footnote") and _typed(a) for a in p.iterancestors()):
            continue  # the separator
        text = "".join(t.text or "" for t in p.iter("{*}t"))
        if text:
            found.append(text)
    return found
