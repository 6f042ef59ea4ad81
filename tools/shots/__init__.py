"""`make screenshots`: every screen to PNG, in both themes and both orientations, by driving the real
kiosk against the real simulators the way a resident does (kiosk/ui/find.py).

One module per area (`tools/shots/<area>.py`) defines `shots(kit)`; `tools/screenshots.py` runs them all
with one hub and one kiosk. Add a module for a new flow's screens; `kit` (tools/shots/kit.py) gives
tap / screen / shot / card and the hub's control API.
"""

AREAS = ("home", "print_flow", "identity", "apply", "results", "voice", "technician", "pay", "languages", "elderly")
