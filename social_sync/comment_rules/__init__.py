"""What a comment under the administration's posts may not contain (seed 003 app. 2 p.9; seed 003
p.11 and seed 004 p.12): obscenity, insults, threats, spam and the account's stop words.

Plain Python (pymorphy3 for Russian word forms); the service in ``social_sync.services.comments``
applies the findings as the account says (flag for a person, or hide at once).
"""

from .rules import RULES, Finding, SpamContext, check

__all__ = ["RULES", "Finding", "SpamContext", "check"]
