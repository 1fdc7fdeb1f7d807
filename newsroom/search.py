"""Substring search in admin listings that ignores letter case on every database."""

from django.db import connection
from django.db.models import Q


def contains_text(fields, query):
    """A condition: one of ``fields`` contains ``query``, in any letter case.

    PostgreSQL's ``ILIKE`` folds Cyrillic as well; SQLite's ``LIKE`` folds Latin letters only, so
    there the forms people usually type are tried too (as typed, lower, upper, Capitalised,
    Title Case).
    """
    query = query.strip()
    variants = {query}
    if connection.vendor == "sqlite":
        variants |= {query.lower(), query.upper(), query.capitalize(), query.title()}
    condition = Q()
    for field in fields:
        for variant in sorted(variants):
            condition |= Q(**{f"{field}__icontains": variant})
    return condition
