"""The action plan: `read` (the spreadsheet as people keep it, repaired and checked), `xlsx` (a
hardened .xlsx reader), `table` (the plan as Word tables), `chart` (the summary chart), `export`
(JSON and the published spreadsheet), `standalone` (the plan alone, for `pack plan`). May import
`markdown`, `word` and the top-level modules."""
