"""Render stage: the pack into Word documents with docxtpl (`template`): the form with its
answers, contents and plan, and one document per non-PDF appendix. May import `markdown`, `word`,
`plan` and the top-level modules."""
