"""Edit a document in LibreOffice through its UNO API, as a reviewer would, and save it as DOCX.

Run by the tests with the Python that has LibreOffice's `uno` module:

    python3 uno_edit.py SOFFICE SOURCE.docx TARGET.docx EDITS.json

EDITS.json: {"author": "Rita Reviewer", "edits": [EDIT, ...]}. Each EDIT finds text (`find`,
case-sensitive; text not found is an error), says whether tracking is on (`tracked`), and does
one thing there, as a reviewer's keys would:

- `"insert_after": "more text"`: text typed after it;
- `"replace": "other text"`: it typed over (`""` deletes it);
- `"action": "split"`: Enter after it (a new paragraph); `"line_break"`: Shift+Enter after it;
  `"tab"`: Tab typed after it;
- `"action": "new_paragraph", "text": "..."`: Enter after it, then `text` typed (in a list: a
  new item after its item, numbered as LibreOffice numbers it); `"before": true` makes it Enter
  at the start of its paragraph instead, the text typed in the new one above;
- `"action": "join"`: Delete at the end of its paragraph (joins the next), then `insert` typed;
- `"action": "footnote"` (or `"endnote"`), `"text": "..."`: a note inserted after it;
- `"action": "indent"` / `"outdent"`: Tab or Shift+Tab at the start of its list item (one
  level deeper, or one level out);
- `"action": "italic"` / `"bold"`: it made italic or bold;
- `"action": "delete_paragraphs", "to": "text"`: every paragraph from the one holding it to the
  one holding `to` deleted, marks included (Shift+Down to the next paragraph, then Delete), or
  with `"marks": false` their text only (selected with the mouse: an empty paragraph is left);
- `"action": "delete_row"` / `"insert_row"`: the table row holding it deleted, or a row
  inserted after it (`cells`: its texts).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipeline.libreoffice.worker import Office  # the repository's, not an installed package

PARAGRAPH_BREAK, LINE_BREAK = 0, 1  # com.sun.star.text.ControlCharacter
_MANAGER: list[Any] = []
"""LibreOffice's service manager, once started."""


def _find(document: Any, text: str) -> Any:
    search = document.createSearchDescriptor()
    search.SearchString = text
    search.SearchCaseSensitive = True
    found = document.findFirst(search)
    if found is None:
        raise LookupError(f"not found: {text!r}")
    return found


def _dispatch(document: Any, command: str) -> None:
    """A command sent as the user interface sends it, at the view cursor."""
    frame = document.getCurrentController().getFrame()
    helper = _MANAGER[0].createInstance("com.sun.star.frame.DispatchHelper")
    helper.executeDispatch(frame, command, "", 0, ())


def _edit(document: Any, edit: dict[str, Any]) -> None:
    document.RecordChanges = bool(edit["tracked"])
    found = _find(document, edit["find"])
    text = found.getText()
    action = edit.get("action")
    if "insert_after" in edit:
        text.insertString(found.getEnd(), edit["insert_after"], False)
    elif "replace" in edit:
        found.setString(edit["replace"])
    elif action in ("split", "line_break"):
        control = PARAGRAPH_BREAK if action == "split" else LINE_BREAK
        text.insertControlCharacter(found.getEnd(), control, False)
    elif action == "new_paragraph":  # as the keys do it, at the view cursor: Enter, then typing
        view = document.getCurrentController().getViewCursor()
        if edit.get("before"):
            view.gotoRange(found.getStart(), False)
            view.gotoStartOfLine(False)
            _dispatch(document, ".uno:InsertPara")
            view.goUp(1, False)
        else:
            view.gotoRange(found.getEnd(), False)
            view.gotoEndOfLine(False)
            _dispatch(document, ".uno:InsertPara")
        view.getText().insertString(view.getStart(), edit["text"], False)
    elif action == "tab":
        text.insertString(found.getEnd(), "\t", False)
    elif action == "join":
        cursor = text.createTextCursorByRange(found.getEnd())
        cursor.gotoEndOfParagraph(False)
        cursor.goRight(1, True)  # the paragraph mark
        cursor.setString("")
        if edit.get("insert"):
            text.insertString(cursor.getStart(), edit["insert"], False)
    elif action in ("footnote", "endnote"):
        kind = "Footnote" if action == "footnote" else "Endnote"
        note = document.createInstance(f"com.sun.star.text.{kind}")
        text.insertTextContent(found.getEnd(), note, False)
        note.setString(edit["text"])
    elif action in ("indent", "outdent"):  # (Shift+)Tab at an item's start: what the keys send
        view = document.getCurrentController().getViewCursor()
        view.gotoRange(found.getStart(), False)
        view.gotoStartOfLine(False)
        _dispatch(document, ".uno:DecrementLevel" if action == "indent" else ".uno:IncrementLevel")
    elif action in ("italic", "bold"):
        if action == "italic":
            found.CharPosture = 2  # com.sun.star.awt.FontSlant.ITALIC
        else:
            found.CharWeight = 150.0  # com.sun.star.awt.FontWeight.BOLD
    elif action == "delete_paragraphs":
        last = _find(document, edit["to"])
        cursor = text.createTextCursorByRange(found.getStart())
        cursor.gotoStartOfParagraph(False)
        cursor.gotoRange(last.getEnd(), True)
        cursor.gotoEndOfParagraph(True)
        if edit.get("marks", True):
            cursor.goRight(1, True)  # through to the next paragraph's start, as Shift+Down does
        cursor.setString("")
    elif action in ("delete_row", "insert_row"):
        cell = found.Cell
        table = found.TextTable
        row = int("".join(c for c in cell.CellName if c.isdigit())) - 1
        rows = table.getRows()
        if action == "delete_row":
            rows.removeByIndex(row, 1)
        else:
            rows.insertByIndex(row + 1, 1)
            for column, value in enumerate(edit["cells"]):
                table.getCellByPosition(column, row + 1).setString(value)
    else:
        raise ValueError(f"unknown edit: {edit!r}")


def main() -> int:
    soffice, source, target, edits_file = sys.argv[1:]
    spec = json.loads(Path(edits_file).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="pack-review-") as work:
        office = Office.start(soffice, Path(work), author=spec["author"])
        _MANAGER.append(office.manager)
        try:
            document = office.load(Path(source))
            try:
                for edit in spec["edits"]:
                    _edit(document, edit)
                document.RecordChanges = False
                office.save(document, Path(target), "docx")
            except LookupError as exc:
                print(exc, file=sys.stderr)
                return 1
            finally:
                document.close(True)
        finally:
            office.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
