"""Reference backend (simulated government systems)."""
