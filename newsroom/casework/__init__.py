"""Citizens' casework: messages found on the networks, their cases and official answers.

``rules/`` holds the regulations as plain Python; ``models/`` the storage (app label
``newsroom``, re-exported from ``newsroom.models``); ``services/`` what happens to a case;
``admin/`` the inbox and the case screens; ``intake/`` the API and the file import.
"""
