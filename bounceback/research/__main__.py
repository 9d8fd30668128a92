"""``python -m bounceback.research INPUT --instrument ID --output OUTPUT``: ``bounceback score`` without Django."""

from __future__ import annotations

from bounceback.research.cli import main

raise SystemExit(main())
