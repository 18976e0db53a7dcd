"""A Telegram Bot API emulator on loopback: `coach-bot try` and the test suite both run the
real bot against it, and it checks every request against the committed Bot API spec."""
