"""`pack plan`: the action plan as read, and with `--publish` the stand-alone plan for the
institution's website. Takes the inputs folder; gives the plan as text or JSON (`command`) or
the published files (`outputs`: a tagged PDF through `plan_pdf`, an XLSX and an HTML page),
each reused when its key did not change. May import `plan`, `render`, `markdown`, `word`,
`libreoffice`, `incremental`, `stages`, `finish` (the PDF made accessible as the pack is) and
the top-level modules."""
