"""Forms of an institution's own, written by the tests: six pillars, two questions."""

from __future__ import annotations

from pathlib import Path

SIX_PILLARS = """\
title = "Technician Commitment Self-Assessment: Phase 2"
subtitle = "Six pillars"
template = "self-assessment.docx"
appendix_template = "appendix.docx"
plan_template = "plan.docx"
plan_months = 36
subject = "Phase 2 self-assessment"

[[questions]]
number = 1
title = "Profile"
prompt = "Describe the organisation."
limit = 300

[[questions]]
number = 2
title = "Progress"
prompt = "What has changed since phase 1?"

[[themes]]
name = "Career Development"
code = "CD"
aim = "Clear routes to progress."

[[themes]]
name = "Supporting Structures"
code = "SS"
aim = "Structures that support technicians."

[[themes]]
name = "Recognition"
code = "R"
aim = "Technicians recognised for their work."

[[themes]]
name = "Visibility"
code = "V"
aim = "Technicians seen across the institution."

[[themes]]
name = "Sustainable Workforce"
code = "SW"
aim = "A workforce for the future."

[[themes]]
name = "Enhanced Training"
code = "ET"
aim = "Training that keeps skills current."

[signoff]
lead = "Signed (Institutional Lead)"
leader = "Signed (Leader of Institution)"
"""

SIX_PLAN = """\
Goal,Actions,Success measures,Year,Theme Alignment,Research
"Career Development: Clear routes",,,,,
CD1: Pathways,Publish pathways,Pathways published,2027,,x
"Supporting Structures: Support",,,,,
SS1: Network,Fund the network,Network meets monthly,2027,,
"Recognition: Recognised",,,,,
R1: Awards,Start awards,Awards held yearly,2028,,x
"Visibility: Seen",,,,,
V1: Directory,Publish a directory,Directory live,2027,,
"Sustainable Workforce: Future",,,,,
SW1: Apprentices,Hire apprentices,Ten hired,2029,,
"Enhanced Training: Skills",,,,,
ET1: Courses,Run courses,Twelve courses a year,All,,x
"""


def six_pillar_pack(root: Path) -> Path:
    """A two-question, six-pillar pack with its own form file beside pack.toml."""
    (root / "answers").mkdir(parents=True)
    (root / "appendices").mkdir()
    (root / "six-pillars.toml").write_text(SIX_PILLARS, encoding="utf-8")
    (root / "pack.toml").write_text(
        'institution = "University of Sixford"\nframework = "six-pillars.toml"\n'
        'date_joined = 2024-03-07\nwebsite = "https://www.sixford.example/tc"\n\n'
        '[lead]\nname = "Dr Six Lead"\nemail = "six@sixford.example"\n\n'
        '[leader]\nname = "Professor Six"\n\n[signoff]\nlead = 2026-11-02\nleader = 2026-11-09\n',
        encoding="utf-8",
    )
    (root / "answers" / "1-profile.md").write_text("A small institute.\n", encoding="utf-8")
    (root / "answers" / "2-progress.md").write_text("Much has changed.\n", encoding="utf-8")
    (root / "action-plan.csv").write_text(SIX_PLAN, encoding="utf-8")
    return root
