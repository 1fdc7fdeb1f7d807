"""Fast bench-only seeding: adds news items under the news index with a few bulk INSERTs.

Importable after ``django.setup()``::

    from bench.seed import seed_news
    seed_news(10_000)

or run as a script (the environment selects the settings and the database)::

    .venv/bin/python bench/seed.py --news 10000

What it does, and why it is safe for serving:

* the pages are direct children of the news index (``NewsIndexPage``), built with treebeard's
  own path arithmetic (``Page._get_path``) after the index's last child, with ``depth``,
  ``numchild=0``, ``url_path`` and the news index's locale; the index's ``numchild`` is fixed
  afterwards with one UPDATE;
* ``wagtailcore_page`` rows go in with ``Page.objects.bulk_create`` (Page is a plain concrete
  model), the ``newsroom_newspage`` rows with one multi-row INSERT per batch through
  ``QuerySet._insert`` (Django refuses ``bulk_create`` for multi-table-inherited models, and
  ``_insert`` still converts every value with the field's own ``get_db_prep_value``, so the
  StreamField body is stored exactly as ``save()`` would store it);
* they are live and published (``live=True``, ``first_published_at``, ``last_published_at``),
  with a realistic body (three paragraphs, a quote on every third item, a two-photo gallery on
  every fourth), a main image and two tags, all reused from ``load_demo_content``;
* on PostgreSQL the database is ANALYZEd afterwards, as autovacuum would do on a production
  server (the local server runs with ``autovacuum = off``); SQLite is left as Django leaves it;
* no revisions, no search-index entries and no reference-index entries are written: public
  page serving needs none of them (only ``/search/`` reads the search index, and it is not
  benchmarked). No signals fire, so the page cache is not invalidated either; the driver
  flushes the cache itself.

Idempotent in the sense that it only *adds* items up to ``total`` bench items
(slug ``bench-NNNNN``), so running it twice does not duplicate them.
"""

import datetime
import os
import sys
import time
import uuid
from pathlib import Path

BATCH = 500
SLUG_PREFIX = "bench-"

TITLES = [
    "Администрация района подвела итоги недели",
    "В сёлах района отремонтируют водопровод",
    "Школы района готовятся к новому учебному году",
    "Фермеры района получили гранты на развитие хозяйств",
    "В районной библиотеке открылась выставка краеведов",
    "Глава района провёл приём граждан",
    "Подрядчик завершил ремонт дороги между сёлами",
    "Спортсмены района выступили на краевых соревнованиях",
    "В районе прошёл субботник",
    "Жители обсудили проект благоустройства сквера",
]
QUOTE = {"text": "Мы обещали сделать это к осени — и сделали.", "author": "Глава района"}


def _body(n, paragraphs, gallery_images):
    """Raw StreamField data (list of dicts), as Wagtail stores it."""
    blocks = [{"type": "paragraph", "value": p, "id": str(uuid.uuid4())} for p in paragraphs]
    if n % 3 == 0:
        blocks.insert(1, {"type": "quote", "value": dict(QUOTE), "id": str(uuid.uuid4())})
    if n % 4 == 0 and len(gallery_images) >= 2:
        first = (n // 4) % (len(gallery_images) - 1)
        items = [
            {
                "type": "item",
                "value": {"image": gallery_images[first + k], "caption": f"Снимок {k + 1}"},
                "id": str(uuid.uuid4()),
            }
            for k in range(2)
        ]
        blocks.append(
            {
                "type": "gallery",
                "value": {"title": "Фотографии", "images": items},
                "id": str(uuid.uuid4()),
            }
        )
    return blocks


def seed_news(total=10_000, stdout=None, now=None):
    """Make sure ``total`` bench news items exist under the news index; return a summary dict."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import F

    from wagtail.images import get_image_model
    from wagtail.models import Page

    from taggit.models import Tag

    from newsroom.demo import content
    from newsroom.models import NewsIndexPage, NewsPage, NewsPageTag

    write = stdout.write if stdout else (lambda s: None)
    started = time.monotonic()
    now = now or datetime.datetime.now(datetime.UTC)

    index = NewsIndexPage.objects.get()  # max_count_per_parent = 1 under the single home page
    existing = NewsPage.objects.filter(slug__startswith=SLUG_PREFIX).count()
    missing = max(0, total - existing)
    if not missing:
        write(f"{existing} bench news items already present.\n")
        return {"created": 0, "bench_items": existing, "seconds": 0.0}

    Image = get_image_model()
    main_images = list(
        Image.objects.filter(title__startswith="Демо: ")
        .exclude(title__startswith="Демо: галерея")
        .order_by("pk")
        .values_list("pk", flat=True)
    ) or [None]
    gallery_images = list(
        Image.objects.filter(title__startswith="Демо: галерея")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    tags = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
    paragraphs = list(content.BODY_PARAGRAPHS)
    news_type = ContentType.objects.get_for_model(NewsPage)

    with transaction.atomic():
        index = Page.objects.select_for_update().get(pk=index.pk)
        last = index.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        depth = index.depth + 1
        created = 0
        for batch_start in range(existing, existing + missing, BATCH):
            numbers = range(batch_start, min(batch_start + BATCH, existing + missing))
            pages = []
            extra = []
            for n in numbers:
                step += 1
                # Newest first: bench item 0 is one hour old, then one every two hours.
                date = now - datetime.timedelta(hours=1 + 2 * n)
                title = f"{TITLES[n % len(TITLES)]} (№ {n + 1})"
                slug = f"{SLUG_PREFIX}{n + 1:05d}"
                pages.append(
                    Page(
                        content_type=news_type,
                        title=title,
                        draft_title=title,
                        slug=slug,
                        path=Page._get_path(index.path, depth, step),
                        depth=depth,
                        numchild=0,
                        url_path=f"{index.url_path}{slug}/",
                        locale_id=index.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=date,
                        last_published_at=date,
                        latest_revision_created_at=date,
                        show_in_menus=False,
                    )
                )
                extra.append((n, date))
            Page.objects.bulk_create(pages)
            if pages[0].pk is None:  # backends that cannot return ids from a bulk INSERT
                ids = dict(
                    Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
                )
                for p in pages:
                    p.pk = p.id = ids[p.path]
            news = []
            taggings = []
            for page, (n, date) in zip(pages, extra, strict=True):
                item = NewsPage(
                    page_ptr_id=page.pk,
                    lead=(
                        "Короткий лид нагрузочного материала: главное в одном-двух "
                        f"предложениях, номер {n + 1}."
                    ),
                    date=date,
                    main_image_id=main_images[n % len(main_images)],
                    department_id=None,
                    body=_body(n, paragraphs, gallery_images),
                )
                news.append(item)
                for k in range(min(2, len(tags))):
                    taggings.append(
                        NewsPageTag(content_object_id=page.pk, tag_id=tags[(n + k) % len(tags)])
                    )
            NewsPage._base_manager._insert(
                news, fields=NewsPage._meta.local_concrete_fields, using=connection.alias
            )
            NewsPageTag.objects.bulk_create(taggings)
            created += len(pages)
            write(f"  {existing + created}/{total}\r")
        Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + created)

    if connection.vendor == "postgresql":
        # Planner statistics, as autovacuum keeps them on a production server. This server runs
        # with autovacuum = off, and without statistics after a bulk load the planner reads all
        # 10,000 news to find the six latest (34 ms instead of 0.2 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = time.monotonic() - started
    write(f"Seeded {created} bench news items in {seconds:.1f} s.\n")
    return {"created": created, "bench_items": existing + created, "seconds": round(seconds, 2)}


def _setup_django():
    root = Path(__file__).resolve().parent.parent
    for p in (str(root / "site"), str(root)):
        if p not in sys.path:
            sys.path.insert(0, p)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressoffice.settings.dev")
    import django

    django.setup()


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=int, default=10_000, help="bench news items wanted")
    args = parser.parse_args()
    _setup_django()
    summary = seed_news(args.news, stdout=sys.stderr)
    print(json.dumps(summary))
