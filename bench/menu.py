#!/usr/bin/env python
"""What the main menu (``newsroom.menu``, read from the page tree) costs a page render.

In one process, through the WSGI application, renders the home page uncached (the bench's
session cookie makes the page cache step aside) in interleaved batches: with the real menu and
with the menu replaced by a constant list of the same items — what a menu written into the
template costs. Same process, same data, alternating batches, so the machine's drift cancels
out. Uses a bench database made by ``bench/pages.py`` (``--database`` an SQLite file).

    .venv/bin/python bench/menu.py --database var/bench/bench.sqlite3 --batches 8 --renders 40
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="an SQLite bench database")
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--renders", type=int, default=40, help="renders per batch")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.database).resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressoffice.settings.dev")
    for path in (str(ROOT / "site"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
    from django.test import Client

    from newsroom import menu

    client = Client(HTTP_COOKIE="sessionid=bench", HTTP_HOST="127.0.0.1:8000")
    real = menu.main_menu

    def render():
        response = client.get("/")
        assert response.status_code == 200, response.status_code
        assert response.get("X-Page-Cache") != "hit"

    render()
    constant = real(client.get("/").wsgi_request)
    timings = {"menu from the tree": [], "constant menu": []}
    for _batch in range(args.batches):
        for name, function in (
            ("menu from the tree", real),
            ("constant menu", lambda request: constant),
        ):
            menu.main_menu = function
            from newsroom.templatetags import site_menu

            site_menu.menu_of = function
            started = time.process_time()
            for _ in range(args.renders):
                render()
            timings[name].append((time.process_time() - started) * 1000 / args.renders)
    for name, values in timings.items():
        print(
            f"{name:20} median {statistics.median(values):6.2f} ms CPU per render "
            f"(batches: {', '.join(f'{v:.2f}' for v in values)})"
        )


if __name__ == "__main__":
    main()
