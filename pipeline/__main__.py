from __future__ import annotations

from pipeline.launch import main

main()
