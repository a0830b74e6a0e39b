"""The build: `assemble` chains the stages (check, render, convert, combine), `keys` and
`manifest` record what each output was made from, `up_to_date` answers a rebuild with nothing to
do, `stale` keeps the stage commands off out-of-date work, `combine` joins the PDFs (`stamp`
marks a draft's pages), `publish` writes the stand-alone plan. May import every subsystem
but `review`; nothing but `cli` and `launch` imports it."""
