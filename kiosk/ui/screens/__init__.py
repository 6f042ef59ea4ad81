"""Screens that are not steps of a plan: home, busy, the one error screen, 暂未开通.
Step screens live in kiosk/ui/steps/; the flow runner (kiosk/ui/flow_runner.py) decides what shows."""
