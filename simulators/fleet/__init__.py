"""The fleet side of the simulators: the MQTT broker (Mosquitto, `kiosk-sim broker`) and the
operations centre's service and page (`kiosk-sim fleet`). See docs/fleet.md."""
