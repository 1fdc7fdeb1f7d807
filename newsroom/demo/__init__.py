"""Demo content of the newsroom, built by ``manage.py load_demo_content``."""

from django.dispatch import Signal

#: Sent by ``load_demo_content`` once the page tree stands and before any news is published, with
#: ``home`` (the home page) and ``heads`` (the Heads' sections by slug). Every other app seeds its
#: own demo content in a receiver and returns the number of objects it created.
page_tree_ready = Signal()
