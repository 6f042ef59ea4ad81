"""The technician screen (issue 25): hidden entry (5 taps in the title bar's corner, then the PIN),
every device's state, per-device self-tests, a live event log, export and maintenance actions.

    controller.py    Technician: corner → PIN → screen → back to service (the only place that moves
                     between them); built by kiosk/app.py
    corner.py        the hidden corner zone (5 taps within 3 s), placed by main_window.py
    pin_screen.py    the PIN on the kiosk's one keypad, the lockout (kiosk/services/pin_lockout.py)
    screen.py        the screen itself: four pages (设备状态, 设备自检, 事件日志, 导出与操作)
    status_page.py, selftest_page.py, actions_page.py   the pages
    tools.py         what the screen calls (Qt-free, blocking: always through run_op)
    self_tests.py    one blocking self-test per device (Qt-free)
    event_log.py     the live event log (Qt-free): typed events only, masked, no personal data
    export_targets.py mounted removable media under /media and /run/media, plus technician.export_dir

Nothing is imported here, so main_window.py can import corner.py without a cycle.
"""
