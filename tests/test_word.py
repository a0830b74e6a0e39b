"""Reading Word: formatting that comes from a run's character style as well as from the run."""

from __future__ import annotations

from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from pipeline.word.blocks import Para, read_blocks
from pipeline.word.package import Lookups


def _with_styles(*flags: str) -> Any:
    """A document with character style "Gone" whose formatting is `flags` (w:rPr children),
    and "Gone again", based on it, with none of its own."""
    document = docx.Document()
    gone = document.styles.add_style("Gone", WD_STYLE_TYPE.CHARACTER)
    r_pr = gone.element.get_or_add_rPr()
    for flag in flags:
        r_pr.append(parse_xml(f"<w:{flag} {nsdecls('w')}/>"))
    again = document.styles.add_style("Gone again", WD_STYLE_TYPE.CHARACTER)
    again.base_style = gone
    return document


def _spans(document: Any) -> dict[str, bool]:
    (paragraph,) = read_blocks(document.element.body, Lookups.of_document(document))
    assert isinstance(paragraph, Para)
    return {span.text: span.strike for span in paragraph.spans}


@pytest.mark.parametrize("flag", ["strike", "dstrike"])
def test_strikethrough_from_a_runs_style_is_read(flag: str) -> None:
    document = _with_styles(flag)
    paragraph = document.add_paragraph()
    paragraph.add_run("kept ")
    paragraph.add_run("struck", style="Gone")
    paragraph.add_run(" inherited", style="Gone again")
    assert _spans(document) == {"kept ": False, "struck": True, " inherited": True}


def test_a_run_turns_off_its_styles_double_strikethrough() -> None:
    document = _with_styles("dstrike")
    paragraph = document.add_paragraph()
    run = paragraph.add_run("not struck", style="Gone")
    run._r.get_or_add_rPr().append(parse_xml(f'<w:dstrike {nsdecls("w")} w:val="0"/>'))
    paragraph.add_run(" struck", style="Gone")
    assert _spans(document) == {"not struck": False, " struck": True}


def test_double_strikethrough_on_the_run_is_read() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    run = paragraph.add_run("struck twice")
    run._r.get_or_add_rPr().append(parse_xml(f"<w:dstrike {nsdecls('w')}/>"))
    assert _spans(document) == {"struck twice": True}
