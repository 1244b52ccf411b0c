"""The public pages' cache, and its invalidation on every write to the data they show.

Every cached page is stored with the *generation* it was rendered in, a counter in Django's
cache, and served only while the counter still says so. Any INSERT, UPDATE, DELETE or
TRUNCATE of a table the public pages read bumps the counter once its transaction commits,
so the next request of every page misses and is rendered afresh: a release, a withdrawal,
a correction, an import, the report published or a unit renamed all show on the very next
request.

Writes are seen at the database connection (an execute wrapper, installed on every
connection by EvaluationsConfig.ready), not through model signals: bulk_create, bulk_update
and QuerySet.update() send no signal, and the workflow itself releases a record through
QuerySet.update(); a wrapper sees them all, whichever service, importer, admin or command
wrote. A transaction bumps the counter once, on commit, however many rows it wrote; a
rolled-back one bumps nothing. Until it commits, a connection that has written public data
neither reads nor fills the cache, so it sees its own writes.

Only anonymous GET and HEAD requests are served from the cache: a request carrying a
session cookie (a bureau user, logged in or not) is always rendered for itself and never
stored. Only a 200 response that sets no cookie and used no CSRF token is stored, so nothing
tied to one visitor is ever handed to another. Pages that depend on the date (overdue
rectification counts) are keyed by the day as well.

Each process also keeps what it rendered or read of the current generation in its own
memory (Local): the pages, and *figures* (the region a page shows, a filter's choices) that
every request would otherwise query again. A request then reads only the small counter from
a shared cache (Redis) and serves a page this process holds without moving it over the wire;
a write in any process bumps the shared counter, so the next request in every process finds
its local copies of an older generation and drops them all.
"""

import contextvars
import functools
import hashlib
import logging
import re
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "evaluations:public:generation"
# Invalidation is exact; the timeout only bounds how long a page outlives a write that
# another process made without a shared cache (LocMem in each process, no REDIS_URL).
PAGE_TIMEOUT = 10 * 60
# A download bigger than this is rendered each time rather than held in the cache.
MAX_CACHED_BYTES = 2 * 1024 * 1024
# What one process holds of a generation: pages up to this many bytes in all, and this
# many figures (a region-year's figures are few; the bound stops ids made up by a visitor).
MAX_LOCAL_BYTES = 32 * 1024 * 1024
MAX_LOCAL_FIGURES = 20_000
# Tables of the evaluations app that no public page reads: writing them leaves the cache be.
PRIVATE_MODELS = {"userrole", "workflowevent", "firmrecusal", "job"}

# A statement's verb and its first table; TRUNCATE (a test database's flush) may name many.
WRITE = re.compile(
    r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+(?:TABLE\s+)?"?(\w+)', re.I
)


def public_tables() -> frozenset[str]:
    """Return the database tables of the evaluations app that public pages read.

    Every model of the app but the private ones and django-simple-history's copies.
    """
    return frozenset(
        model._meta.db_table
        for model in apps.get_app_config("evaluations").get_models()
        if model._meta.model_name not in PRIVATE_MODELS
        and not model._meta.model_name.startswith("historical")
    )


def generation() -> int:
    """Return the current generation of the public pages."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A lost counter (evicted, or a new cache) restarts from the clock, above any
        # generation used before, so no page stored earlier can be served again.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def bump() -> None:
    """Start a new generation: every page cached so far is stale.

    Runs after the write has committed: a shared cache that is down must not turn a
    committed release into an error page. It is logged, this process drops what it holds,
    and pages elsewhere outlive the write by PAGE_TIMEOUT at most.
    """
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.exception("公开页面缓存的版本号无法更新（缓存服务不可用）")
        _locals.clear()


def _pending(connection) -> bool:
    return any(func is bump for _, func, _ in connection.run_on_commit)


def watch_writes(tables):
    """Return an execute wrapper that bumps the generation after a write to tables commits."""

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = WRITE.match(sql)
        if match and (match.group(2) in tables or match.group(1).upper() == "TRUNCATE"):
            connection = context["connection"]
            if not connection.in_atomic_block:
                bump()
            elif not _pending(connection):
                connection.on_commit(bump)
        return result

    return wrapper


def install(connection, **kwargs) -> None:
    """Watch a database connection's writes (the connection_created signal's receiver)."""
    if not any(getattr(w, "watches_public_tables", False) for w in connection.execute_wrappers):
        wrapper = watch_writes(public_tables())
        wrapper.watches_public_tables = True
        connection.execute_wrappers.append(wrapper)


def install_on_open_connections() -> None:
    for connection in connections.all(initialized_only=True):
        install(connection)


def _writing() -> bool:
    """Return whether a connection of this thread has public writes not yet committed."""
    return any(_pending(connection) for connection in connections.all(initialized_only=True))


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not _writing()
    )


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"evaluations:public:{timezone.localdate().isoformat()}:{path}"


def _storable(request, response) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and len(response.content) <= MAX_CACHED_BYTES
    )


class Local:
    """What this process holds of one generation: rendered pages and figures."""

    def __init__(self, generation: int):
        self.generation = generation
        # Copies expire like the shared cache's entries: without a shared cache (no
        # REDIS_URL) another process's write is not seen here, and this bounds for how long.
        self.created = time.monotonic()
        self.pages: dict[str, tuple[bytes, dict]] = {}
        self.page_bytes = 0
        self.figures: dict[tuple, object] = {}

    @property
    def expired(self) -> bool:
        return time.monotonic() - self.created > PAGE_TIMEOUT

    def keep_page(self, key: str, content: bytes, headers: dict) -> None:
        held = self.pages.get(key)
        size = self.page_bytes - (len(held[0]) if held else 0) + len(content)
        if size <= MAX_LOCAL_BYTES:
            self.pages[key] = (content, headers)
            self.page_bytes = size


# Per cache backend (one in production): a benchmark switching backends keeps each one's.
_locals: dict[int, Local] = {}
# The generation the current request read (public_page sets it): figures it needs are
# then looked up without another round trip to the shared cache.
_request_generation: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "request_generation", default=None
)


def local(current: int) -> Local:
    """Return this process's holdings of generation current, emptied if it is a new one."""
    held = _locals.get(id(cache))
    if held is None or held.generation != current or held.expired:
        held = _locals[id(cache)] = Local(current)
    return held


def figure(name: str, *args, compute):
    """Return compute(), read at most once per generation in this process for (name, args).

    A figure is public data that many requests share (the region a page shows, a filter's
    choices): it is as fresh as a cached page, and a connection with uncommitted public
    writes always computes it afresh, so it sees its own writes.
    """
    if _writing():
        return compute()
    current = _request_generation.get()
    if current is None:
        try:
            current = generation()
        except Exception:  # the shared cache is down: read the figure afresh
            return compute()
    held = local(current)
    key = (name, *args)
    try:
        return held.figures[key]
    except KeyError:
        value = compute()
        if len(held.figures) < MAX_LOCAL_FIGURES:
            held.figures[key] = value
        return value


def public_page(view):
    """Serve a public view's anonymous GET responses from the cache of the current generation.

    A request reads the counter from the shared cache; a page this process holds for that
    generation is served from its memory, else from the shared cache, else rendered.
    """

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        try:
            current = cache.get(GENERATION_KEY) or generation()
        except Exception:
            # The shared cache is down: the page is rendered for this request alone.
            logger.warning("公开页面缓存不可用，页面未经缓存直接生成", exc_info=True)
            return view(request, *args, **kwargs)
        held = local(current)
        page = held.pages.get(key)
        if page is None:
            stored = _shared_get(key)
            if stored is not None and stored[0] == current:
                page = stored[1:]
                held.keep_page(key, *page)
        if page is not None:
            content, headers = page
            return HttpResponse(content, headers=headers)
        token = _request_generation.set(current)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _request_generation.reset(token)
        if _storable(request, response):
            headers = dict(response.headers)
            try:
                cache.set(key, (current, response.content, headers), PAGE_TIMEOUT)
            except Exception:
                logger.warning("公开页面缓存不可用，页面未存入共享缓存", exc_info=True)
            held.keep_page(key, response.content, headers)
        return response

    return cached_view


def _shared_get(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("公开页面缓存不可用，未读取共享缓存", exc_info=True)
        return None
