"""The incremental record: what each output was made from, so that only what changed is made
again. Takes the inputs folder, the code and LibreOffice's version; gives keys and records.
`keys` hashes what a part depends on, `manifest` is a pack's work folder (`manifest.json`: each
part's DOCX, PDF and key), `up_to_date` answers a rebuild with nothing to do (light: no Word or
PDF library), `stale` keeps `pack convert` and `pack combine` off work made from older inputs,
and `record` is what a finished pack carries of its sources, for `pack verify`. Imports only the
top-level modules."""
