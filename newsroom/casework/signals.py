"""Signals of the casework that other apps act on (they import newsroom; newsroom never imports
them)."""

from django.dispatch import Signal

# An answer completed «Согласование ответа»: sent in the approval's transaction, with
# ``answer`` (as approved) and ``case``. social_sync places it on the network as a reply.
answer_approved = Signal()
