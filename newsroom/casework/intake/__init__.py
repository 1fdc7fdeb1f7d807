"""How citizens' messages come in: the intake API for monitoring systems and the file import."""
