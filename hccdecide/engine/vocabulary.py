"""Fixed words the engine and every view share: the match statuses and the disclaimer.

Kept apart from the engine's modules (which load the evidence schema and numpy) so that the clinic
window can show its banner and status colours before any of the engine has loaded.
"""
from __future__ import annotations

# a criterion's status for one patient
MET, NOT_MET, UNKNOWN, TO_CONFIRM = "met", "not_met", "unknown", "to_confirm"
# a study's or a regimen's status for one patient
ELIGIBLE, INELIGIBLE, UNCERTAIN = "eligible", "ineligible", "uncertain"

DISCLAIMER = ("hccdecide is a decision aid: it shows what published evidence says about patients like this "
              "one. It does not prescribe; the treating team decides.")
