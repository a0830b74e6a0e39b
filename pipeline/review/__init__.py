"""The reviewer round trip: `draft` makes the DOCX reviewers edit and `record` is what it records
of its sources; `formats` names a file saved as anything but .docx, `document` opens a reviewed
file, `report` lists comments and untracked edits, `changes` every tracked change (`formatting`
puts a formatting change in words; `items` is what is listed); `baseline` is each answer as
drafted, `harvest` brings answers back, `assemble`, `lines`, `writer` and `to_markdown` write
reviewed blocks as Markdown in the source's own lines, `apply` is `pack harvest` end to end.
Only `draft` imports `render`; the rest reads with `word` and `markdown`, so `pack review`
loads no template engine."""
