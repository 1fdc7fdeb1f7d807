"""What happens to cases and answers: registration, routing, decisions, escalation."""
