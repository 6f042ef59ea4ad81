"""`kiosk-sim console`: the testers' window on a running hub (docs/simulators.md, "The tester console").

cli.py (the command) · window.py (connection, workers, wiring) · panels.py (the controls) ·
actions.py (each control as a scenario step) · recording.py (the fragment, saved as a scenario file) ·
poller.py (one poll) · traffic.py (wire traffic as hex and text) · hub_link.py (the control API) ·
worker.py (blocking calls off the GUI thread). Never imported by kiosk/.
"""
