"""The inputs folder to a checked `Pack`: `load` reads and validates, `check` runs every check
without LibreOffice, `lint` finds Markdown problems. May import the top-level modules, `markdown`
(syntax only), `plan` and `word` (reading only); never `render`, `build`, `libreoffice` or `review`."""
