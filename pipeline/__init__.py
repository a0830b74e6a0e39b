"""Build a Technician Commitment self-assessment submission pack."""

from __future__ import annotations

__version__ = "0.1.0"
