"""The stages chained: a checked inputs folder in, the named pack's PDF out. `assemble` runs
check, render, convert and combine for what changed (one pack or a batch), `parts` decides a
pack's parts and renders each DOCX whose key changed, `convert` has LibreOffice turn them into
PDFs numbered as one document, `watch` builds again on every save with one LibreOffice kept
warm. May import `inputs`, `render`, `libreoffice`, `incremental`, `finish` and what they may;
imported only by the command line and `publish`."""
