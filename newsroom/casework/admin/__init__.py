"""The case inbox, the case page and its actions: the admin screens of citizens' casework."""
