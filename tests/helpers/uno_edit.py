"""Edit a document in LibreOffice through its UNO API, as a reviewer would, and save it as DOCX.

Run by the tests with the Python that has LibreOffice's `uno` module:

    python3 uno_edit.py SOFFICE SOURCE.docx TARGET.docx EDITS.json

EDITS.json: {"author": "Rita Reviewer", "edits": [EDIT, ...]}, each EDIT
{"find": "text", "tracked": true, "insert_after": "more text"} or
{"find": "text", "tracked": false, "replace": "other text"}. Text not found is an error.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipeline.libreoffice.worker import Office  # the repository's, not an installed package


def main() -> int:
    soffice, source, target, edits_file = sys.argv[1:]
    spec = json.loads(Path(edits_file).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="pack-review-") as work:
        office = Office.start(soffice, Path(work), author=spec["author"])
        try:
            document = office.load(Path(source))
            for edit in spec["edits"]:
                document.RecordChanges = bool(edit["tracked"])
                search = document.createSearchDescriptor()
                search.SearchString = edit["find"]
                search.SearchCaseSensitive = True
                found = document.findFirst(search)
                if found is None:
                    print(f"not found: {edit['find']!r}", file=sys.stderr)
                    return 1
                if "insert_after" in edit:
                    found.getText().insertString(found.getEnd(), edit["insert_after"], False)
                else:
                    found.setString(edit["replace"])
            document.RecordChanges = False
            office.save(document, Path(target), "docx")
            document.close(True)
        finally:
            office.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
