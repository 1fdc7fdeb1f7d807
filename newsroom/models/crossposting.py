"""The crossposting extension point as the newsroom's pages see it.

The one import of a leaf app from the newsroom (see docs/architecture.md and the import contract
in pyproject.toml): a page type that inherits ``CrosspostedPage`` goes to the official accounts.
"""

from social_sync.crossposting import CrosspostedPage, crossposting_form, crossposting_tabs

__all__ = ["CrosspostedPage", "crossposting_form", "crossposting_tabs"]
