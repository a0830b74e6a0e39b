"""`pack verify`: a PDF on disk and an inputs folder in, a verdict out: is this the pack built
from exactly these inputs, with every part whole? `pack` reads the build's record from the PDF
and compares it with the folder; `parts` checks each part's pages (contents, outline, page
digests) with pypdf, a second reader to the build's qpdf. Needs no LibreOffice. May import
`inputs` (to read the folder as the build does), `markdown`, `incremental` and the top-level
modules."""
