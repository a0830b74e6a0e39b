"""`pack preview`: the pack live in the browser while the lead writes. Takes an inputs folder
and a `stages.assemble.Build` (the watch's, one LibreOffice kept warm); gives a local page that
shows the pack's pages and what is left to do, updated on every save. `session` is the watch
whose output is the page, `pages` draws the pack's pages as images (pypdfium2), `todo` is the
side panel (the check's findings, words, window, plan, appendices), `server` serves the page,
its assets (package data in `static/`) and the updates (Starlette and uvicorn, loopback only
unless asked). The page being edited is shown from the pages LibreOffice makes first
(`libreoffice.jobs.FirstPages`), before the rest of the pack. May import `stages`,
`incremental`, `inputs`, `plan`, `render`, `markdown`, `libreoffice` and what they may; imported only by the command line, and only when `pack preview` runs."""
