"""The build: `assemble` chains the stages (check, render, convert, combine), `keys` and
`manifest` record what each output was made from, `up_to_date` answers a rebuild with nothing to
do, `convert` makes a pack's PDFs numbered as one document, `combine` joins the PDFs and
`accessible` makes them one accessible document (`tags` keeps their structure trees as one,
`stamp` numbers the pages LibreOffice did not lay out), `publish` writes the stand-alone plan. May import every subsystem but `review`; nothing but
`cli` and `launch` imports it."""
