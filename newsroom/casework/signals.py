"""Signals of the casework that other apps act on (they import newsroom; newsroom never imports
them)."""

from django.dispatch import Signal

# An answer completed «Согласование ответа»: sent in the approval's transaction, with
# ``answer`` (as approved) and ``case``. social_sync places it on the network as a reply.
answer_approved = Signal()

# A person marked the answer placed by hand («Ответ размещён»): sent in that transaction, with
# ``case``. A reply the system has not started to place is then not placed a second time.
answer_placed_by_hand = Signal()

# A case reached its end — its answer placed (by the system or by hand) or left without an answer
# — sent in that transaction, with ``case``. social_sync closes the comments taken in as it.
case_closed = Signal()

# Hook name: functions ``(case) -> list of {"text", "url", "state"}`` that say what other apps
# are doing about a case (social_sync: the reply being placed). Shown on the case page.
CASE_NOTES_HOOK = "register_case_notes"

# Hook name: functions ``(request, case) -> list of HTML`` that other apps add to the case page's
# actions (social_sync: which account answers a message on a foreign page).
CASE_ACTIONS_HOOK = "register_case_actions"

# Hook name: functions ``(case) -> list of HTML`` shown in the answer editor under the citizen's
# message (social_sync: the post and the thread the comment is in).
CASE_CONTEXT_HOOK = "register_case_context"
