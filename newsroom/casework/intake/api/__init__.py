"""The intake API for monitoring systems (Wagtail API tokens)."""
