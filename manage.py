#!/usr/bin/env python
"""Django's command-line utility for the press office site.

The configuration package ``pressoffice`` lives in the plain folder ``site/`` (the name ``site``
belongs to Python's standard library), so that folder is put on the import path first.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BASE_DIR / "site"))


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressoffice.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
