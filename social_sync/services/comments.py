"""Taking in the comments under the official accounts' recent posts (seed 003 app. 2 p.9).

A pull per account, oldest post first, each post read from its cursor (VK: skipped while the
wall shows the same number of comments; OK: the anchor of the next page). A pull stops after
``COMMENTS_PULL_MAX_CALLS`` requests, or as soon as the account has crossposts waiting: the rest
waits for the next pull, and the token's rate limit (shared with crossposting through
``connections``) is never exceeded. Each comment is stored once — the database's unique key
(network, owner, post, comment) — so a pull repeated after a crash stores nothing twice; the
rules run on the comments that are new.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from social_sync.clients.errors import AuthError, SocialError
from social_sync.comment_rules import SpamContext, check
from social_sync.comment_rules.normalize import undisguise
from social_sync.crypto import CredentialsUnreadable
from social_sync.models import (
    Comment,
    CommentStatus,
    ModerationEvent,
    OutboxAction,
    OutboxItem,
    OutboxState,
    RemoteState,
    SocialAccount,
    WatchedPost,
)
from social_sync.services import tokens
from social_sync.services.comment_networks import comments_for

logger = logging.getLogger(__name__)

AUTHOR_BURST_WINDOW = dt.timedelta(minutes=10)
SAME_TEXT_WINDOW = dt.timedelta(hours=24)


def text_key(text):
    plain = " ".join(undisguise(text or "").split())
    return hashlib.sha1(plain.encode()).hexdigest() if plain else ""


def accounts_to_pull():
    """Every working account: its wall is read for the posting norms (posts made by hand count
    too); its comments are taken in where the account says so."""
    from social_sync.services.comment_networks import READABLE_NETWORKS

    return [
        account
        for account in SocialAccount.objects.filter(is_active=True, network__in=READABLE_NETWORKS)
        .exclude(credentials_problem__gt="")
        .order_by("pk")
        if not account.is_sandbox
    ]


PULL_LOCK_SECONDS = 600


def pull_all():
    """Every official account in turn; one account's failure does not stop the others."""
    return {account.pk: _pull_guarded(account) for account in accounts_to_pull()}


def pull_one(account_id):
    """One account's pull, unless another worker is pulling it right now."""
    from django.core.cache import cache

    account = SocialAccount.objects.filter(pk=account_id, is_active=True).first()
    if account is None or account.is_sandbox:
        return {"skipped": "no account"}
    key = f"social_sync:pulling:{account_id}"
    if not cache.add(key, 1, PULL_LOCK_SECONDS):
        return {"skipped": "already pulling"}
    try:
        return _pull_guarded(account)
    finally:
        cache.delete(key)


def _pull_guarded(account):
    try:
        return pull_account(account)
    except AuthError as error:
        tokens.record_problem(account, error.explanation)
        return {"error": error.code}
    except (SocialError, CredentialsUnreadable) as error:
        logger.warning("Comments of account %s not pulled: %s", account.pk, error)
        return {"error": getattr(error, "code", "credentials")}


def _crossposts_waiting(account):
    from social_sync.services.delivery import due_items

    return bool(due_items(account_id=account.pk, limit=1))


def pull_account(account, *, max_calls=None, now=None):
    """Reads the account's recent posts and their new comments; returns counts for the log."""
    max_calls = settings.COMMENTS_PULL_MAX_CALLS if max_calls is None else max_calls
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.COMMENTS_POST_MAX_AGE_DAYS)
    side = comments_for(account)
    infos = {info["remote_id"]: info for info in side.recent_posts(since)}
    _remember_posts(account, infos.values())
    stored = flagged = 0
    if not (account.take_comments and side.reads_comments):  # the wall alone, for the norms
        return {"stored": 0, "flagged": 0, "calls": side.calls, "stopped": ""}
    posts = WatchedPost.objects.filter(account=account, published_at__gte=since).order_by(
        "published_at", "pk"
    )
    stopped = ""
    recheck_before = now - dt.timedelta(minutes=settings.COMMENTS_RECHECK_MINUTES)
    for post in posts:
        info = infos.get(post.remote_id)
        quiet = not side.changed(post, info)
        if quiet and post.pulled_at is not None and post.pulled_at >= recheck_before:
            continue
        if side.calls >= max_calls:
            stopped = "budget"
            break
        if _crossposts_waiting(account):
            stopped = "crossposting"
            break
        found, state = side.pull(post, info, _known_threads(post))
        new, new_flagged = store(post, found)
        stored += new
        flagged += new_flagged
        if "seen_count" in state:
            # The count the network shows now: the comments just read, less those the rules
            # have removed since. Otherwise one removed and one new would look like no change.
            state["seen_count"] -= _removed_since_read(post, found)
        for name, value in state.items():
            setattr(post, name, value)
        post.pulled_at = timezone.now()
        post.save(update_fields=[*state.keys(), "pulled_at"])
    return {"stored": stored, "flagged": flagged, "calls": side.calls, "stopped": stopped}


def _removed_since_read(post, found):
    return Comment.objects.filter(
        post=post,
        remote_id__in=[c["remote_id"] for c in found],
        remote_state=RemoteState.HIDDEN,
    ).count()


def _remember_posts(account, infos):
    """Watches the posts the wall listed: new ones are added, changed ones updated, the rest left
    alone (a pull every few minutes must not rewrite a hundred rows each time)."""
    infos = {info["remote_id"]: info for info in infos}
    if not infos:
        return
    links = dict(
        OutboxItem.objects.filter(
            account=account,
            action=OutboxAction.POST,
            state=OutboxState.DONE,
            remote_id__in=list(infos),
        ).values_list("remote_id", "page_id")
    )
    known = {
        post.remote_id: post
        for post in WatchedPost.objects.filter(account=account, remote_id__in=list(infos))
    }
    fresh, changed = [], []
    for remote_id, info in infos.items():
        values = {
            "url": info["url"],
            "text": info["text"][:2000],
            "published_at": info["published_at"],
            "page_id": links.get(remote_id),
        }
        post = known.get(remote_id)
        if post is None:
            fresh.append(WatchedPost(account=account, remote_id=remote_id, **values))
        elif any(getattr(post, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(post, name, value)
            changed.append(post)
    WatchedPost.objects.bulk_create(fresh, ignore_conflicts=True)  # another pull may race us
    if changed:
        WatchedPost.objects.bulk_update(changed, ["url", "text", "published_at", "page_id"])


def _known_threads(post):
    """For each thread root of the post: how many replies we have and the last one's id."""
    threads = {}
    rows = Comment.objects.filter(post=post).exclude(thread_root_id="")
    for root, remote_id in rows.values_list("thread_root_id", "remote_id"):
        have, last = threads.get(root, (0, None))
        last = remote_id if last is None or _later(remote_id, last) else last
        threads[root] = (have + 1, last)
    return threads


def _later(a, b):
    return (len(a), a) > (len(b), b)  # ids are numbers or fixed-width strings


def store(post, found):
    """Stores the comments not yet stored; runs the rules on each new one. Returns (new, flagged)."""
    account = post.account
    seen = set(
        Comment.objects.filter(
            post=post, remote_id__in=[c["remote_id"] for c in found]
        ).values_list("remote_id", flat=True)
    )
    # Our own replies, by the ids their outbox rows got back: on OK nothing else tells them.
    ours = set(
        OutboxItem.objects.filter(
            account=account,
            action=OutboxAction.REPLY,
            remote_id__in=[c["remote_id"] for c in found],
        ).values_list("remote_id", flat=True)
    )
    new = flagged = 0
    for data in found:
        if data["remote_id"] in seen:
            continue
        data = {**data, "is_ours": data["is_ours"] or data["remote_id"] in ours}
        seen.add(data["remote_id"])
        comment = Comment(
            account=account,
            post=post,
            network=account.network,
            owner_id=account.owner_id,
            post_remote_id=post.remote_id,
            text_key=text_key(data["text"]),
            **data,
        )
        if comment.is_ours:
            comment.status = CommentStatus.DONE
        try:
            with transaction.atomic():
                comment.save()
        except IntegrityError:  # another pull stored it a moment ago
            continue
        new += 1
        if not comment.is_ours and apply_rules(comment):
            flagged += 1
    return new, flagged


def spam_context(comment):
    own_hosts = _own_hosts()
    recent = Comment.objects.filter(network=comment.network, is_ours=False)
    same_text = (
        recent.filter(
            text_key=comment.text_key,
            published_at__gte=comment.published_at - SAME_TEXT_WINDOW,
            published_at__lte=comment.published_at,
        ).count()
        if comment.text_key
        else 1
    )
    burst = (
        recent.filter(
            author_id=comment.author_id,
            published_at__gte=comment.published_at - AUTHOR_BURST_WINDOW,
            published_at__lte=comment.published_at,
        ).count()
        if comment.author_id
        else 1
    )
    return SpamContext(same_text_count=same_text, author_recent_count=burst, own_hosts=own_hosts)


def apply_rules(comment):
    """Flags the comment for a person, or hides it at once, as its account says for each rule
    it breaks; logs what was found. True when any rule applied."""
    from social_sync.services import moderation

    account = comment.account
    findings = [
        f
        for f in check(
            comment.text, stop_words=account.stop_word_list, context=spam_context(comment)
        )
        if account.rule_action(f.rule) != "off"
    ]
    if not findings:
        return False
    comment.flags = [{"rule": f.rule, "evidence": f.evidence} for f in findings]
    comment.is_flagged = True
    comment.flag_rules = "," + ",".join(f.rule for f in findings) + ","
    comment.save(update_fields=["flags", "is_flagged", "flag_rules", "updated_at"])
    for finding in findings:
        moderation.log(
            comment,
            None,
            ModerationEvent.Action.FLAGGED,
            rule=finding.rule,
            reason=moderation.rule_reason(finding.rule, finding.evidence),
        )
    hide_by = next((f for f in findings if account.rule_action(f.rule) == "hide"), None)
    if hide_by is not None:
        moderation.hide_by_rule(comment, hide_by.rule, hide_by.evidence)
    return True


def _own_hosts():
    """Links to the administration's own sites are not spam."""
    from urllib.parse import urlsplit

    from wagtail.models import Site

    hosts = {urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or ""}
    hosts.update(Site.objects.values_list("hostname", flat=True))
    return tuple(sorted(h for h in hosts if h and h not in ("localhost", "127.0.0.1")))
