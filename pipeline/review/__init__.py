"""The reviewer round trip: `draft` makes the DOCX reviewers edit and `record` is what it records
of its sources; `document` opens a reviewed file, `report` lists comments and tracked changes,
`baseline` is each answer as drafted, `harvest`, `writer` and `to_markdown` write reviewed blocks
back as Markdown, `apply` is `pack harvest` end to end. Only `draft` imports `render`; the rest
reads with `word` and `markdown`, so `pack review` loads no template engine."""
