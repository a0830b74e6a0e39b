"""`pack import`: a Word file (the form filled in, a past submission, one colleague's answer)
into an inputs folder. Takes the file and the folder; gives the answers as Markdown (as `pack`
renders it), pack.toml's fields, the plan spreadsheet, signature pictures and appendices, and a
summary of where each came from and what was left out.

`source` opens the file with the defences every Word input gets (and converts a .doc or .odt
with LibreOffice); `oddities` names what an answer cannot show; `locate` finds the questions,
the sign-off, the plan and the form's own text; `fields` reads the institution's details and
writes them into pack.toml; `plan_table` turns the plan's table into a spreadsheet; `markdown`
writes blocks as Markdown with harvest's writer; `run` is `pack import` end to end and
`summary` what it prints. May import the core modules, `word`, `markdown`, `plan`, `inputs`,
`review` (its Markdown writer) and `libreoffice` (for .doc and .odt only)."""
