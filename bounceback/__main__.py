from __future__ import annotations

from bounceback.cli import main

main()
