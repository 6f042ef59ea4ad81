"""`kiosk-sim run SCENARIO.yaml`: replay a resident's visit against the simulators (docs/scenarios.md).

scenario_file.py reads and checks a file (every mistake: file, line, expected shape; exit 2),
steps.py carries out each step kind, runner.py runs a scenario in a real in-process kiosk, cli.py is
the command (hub, screenshots, JUnit report).
"""
