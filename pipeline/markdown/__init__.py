"""Markdown to Word content: `syntax` is the parser and the table of what is supported (light,
shared with `pack check`), `renderer` turns tokens into Word XML through that table, its block
rules in `renderer` and its inline rules in `inline`. May import `word` and the top-level
modules only."""
