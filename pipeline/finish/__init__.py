"""The pack's PDF put together and finished: the parts' PDFs (from LibreOffice, and PDF
appendices) and the build's manifest in, one accessible PDF out. `combine` joins the parts with
qpdf (outline, metadata, the build's record), `accessible` makes them one document (`tags` keeps
their structure trees as one through the merge, `stamp` writes the header and "Page k of N" on
pages LibreOffice did not lay out), `watermark` marks a draft's pages, `sanitize` removes active
content. May import `incremental` and the top-level modules (PDFs are opened through `pdf`)."""
