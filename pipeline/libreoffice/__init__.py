"""LibreOffice driven: Word documents in, PDFs (or Word documents saved again) out. `office` is
how every LibreOffice is started (profile, command line, time limits), `soffice` a cold
`--convert-to` run, `warm` one LibreOffice kept for a build and driven through UNO by `worker`,
which runs in LibreOffice's own Python; `pool` the converters of a build, `profiles` kept
profiles, one per running LibreOffice, `watchdog` makes LibreOffice die with `pack`. Imports
only the top-level modules."""
