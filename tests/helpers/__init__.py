"""Helpers shared by the test modules (fixtures stay in conftest.py): packs to build, reading
PDFs and Word XML back, LibreOffice and its UNO scripts, reviewers' edits."""
