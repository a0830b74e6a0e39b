"""The build: `assemble` chains the stages (check, render, convert, combine), `keys` and
`manifest` record what each output was made from, `up_to_date` answers a rebuild with nothing to
do, `stale` keeps the stage commands off out-of-date work, `convert` makes a pack's PDFs
numbered as one document, `combine` joins the PDFs (`watermark` marks a draft's pages,
`sanitize` removes active content) and `accessible` makes them one accessible document (`tags`
keeps their structure trees as one, `stamp` numbers the pages LibreOffice did not lay out),
`publish` writes the stand-alone plan (`publish_plan` its PDF, `plan_command` is `pack plan`);
`record` is what a pack carries of its sources, and `verify` (with `verify_parts`) checks a pack
on disk against them, without LibreOffice. May import every subsystem but `review`; nothing but
`cli` and `launch` imports it."""
