"""社保卡 emulator for pcscd's vsmartcard-vpcd reader (kiosk-sim sscard)."""
