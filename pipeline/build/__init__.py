"""The build: `assemble` chains the stages (check, render, convert, combine), `keys` and
`manifest` record what each output was made from, `up_to_date` answers a rebuild with nothing to
do, `combine` joins the PDFs, `publish` writes the stand-alone plan (`publish_plan` its PDF),
`plan_command` is `pack plan`. May import every subsystem but `review`; nothing but `cli` and
`launch` imports it."""
