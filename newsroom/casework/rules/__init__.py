"""The rules of the regulations as plain Python: lifecycle, deadlines, answer checklist, similarity."""
