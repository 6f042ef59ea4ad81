"""QR scanner simulator: codes + suffix over serial-over-TCP."""
