"""Screens: one QWidget each, generic per flow kind; they show data and emit the resident's choices.
The journey (kiosk/ui/journey.py) decides what comes next."""
