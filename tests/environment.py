"""Test-run environment, set before Django reads its settings (loaded with -p)."""

import os

# Tests run with DEBUG off, as production does; they need a key and plain-HTTP test clients.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "k" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("MEDIA_ROOT", "/tmp/se4u-test-media")
os.environ.setdefault("STATIC_FROM_SOURCE", "1")
