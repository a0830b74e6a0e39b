"""Word XML that python-docx does not offer: `context` (one document being written, and what we
keep about it), `styles`, `tables`, `numbering` and `footnotes` for writing; `package` (a
checked .docx read as parts), `blocks` (a body as formatted blocks, of the types in `spans`) and `list_numbers` for
reading. Imports nothing of the pipeline but `errors` and `safety`."""
