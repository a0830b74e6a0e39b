"""The action plan: `read` (the spreadsheet as people keep it and as exports give it, repaired and
checked; with `sheet` (the file's rows), `layout`, `banners`, `blocks` (which goal each row
serves), `rows` and `cells`), `repairs` (the repair log grouped), `xlsx` (a hardened .xlsx
reader), `table` (the plan as Word tables), `chart` (the summary chart), `export` (JSON and the
summary's counts), `spreadsheet` (the published spreadsheet), `standalone` (the plan alone, for
`pack plan`). May import `markdown`, `word` and the top-level modules."""
