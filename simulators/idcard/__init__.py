"""ID-card reader simulator: a GA/T 467 SAM module speaking its exact frames over TCP."""
