"""Admin hooks of this part of the newsroom (imported by newsroom.wagtail_hooks)."""
