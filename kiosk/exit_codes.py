"""The kiosk's exit statuses. The systemd unit (deploy/systemd/kiosk.service) and `make run`
(tools/run_kiosk.sh) both start the kiosk again after EXIT_RESTART; the technician screen ends the
kiosk with it (`QApplication.exit(EXIT_RESTART)`) to reload config or a new release."""

EXIT_OK = 0
EXIT_BAD_CONFIG = 2  # the config did not validate, or the kiosk could not be built (key missing)
EXIT_RESTART = 75  # EX_TEMPFAIL (sysexits.h): "start me again"
