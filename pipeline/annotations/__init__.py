"""Reviewers' annotations on a PDF of the pack: `pack review FILE.pdf` and `pack harvest
FILE.pdf`. Takes the PDF as a viewer saved it (and the inputs folder it was built from); gives
each annotation placed where it sits (contents, question, plan, sign-off, appendix) with the
answer file and line of the words it marks, and the suggested edits made to the answers.
`read` reads the annotations, `fonts`, `glyphs` and `quote` the words under them, `places` the
pack's sections and answer files (from its outline and build record), `source` and `locate`
find the words in an answer's Markdown, `place` puts each mark in its place, `plan_rows` names
an action of the plan, `report` lists them, `edits` changes an answer, `commands` is each
command end to end. May import `markdown`, `plan`, `incremental`, `verify` (how Markdown reads),
`review` (the DOCX harvest's writer, diff and escaping) and the top-level modules."""
