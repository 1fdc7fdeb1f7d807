"""Citizens' messages and official answers: the rules of the regulations as plain Python."""
