"""What a member agrees to at onboarding, versioned: the text shown is the text recorded."""

from __future__ import annotations

CONSENT_VERSION = "2026-11-25"

CONSENT_POINTS = (
    "Bounceback stores your answers, your results and your plan so you can come back to them.",
    "Nobody but you can see them. No clinician sees anything unless you choose to share it, and you can stop "
    "sharing at any time.",
    "Nobody reads your answers as you give them. Bounceback is not an emergency service: if you are in danger, "
    "call your emergency number.",
    "We never sell your data, show you adverts, or use trackers.",
)
