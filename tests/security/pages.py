"""Walking the site as a visitor would, for the security tests."""

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

PER_PATTERN = 3
MAX_PAGES = 400
HREF = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]+)["']""")


def body_of(response) -> bytes:
    """Return a response's whole body, streamed or not (read once)."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "read_body"):
        response.read_body = b"".join(response.streaming_content)
    return response.read_body


def _pattern(path: str) -> str:
    """Return the page's kind: its path with numbers as N, its query's keys."""
    parts = urlsplit(path)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def crawl(client, start: str, *, inside: str, outside: tuple[str, ...] = ()) -> dict:
    """Return {path: response} of the pages reachable from start, a few of each kind."""
    seen, queue, per_pattern, pages = {start}, [start], Counter(), {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        response = client.get(path)
        pages[path] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in HREF.findall(response.content.decode()):
            link = urljoin(path, link.replace("&amp;", "&"))
            if urlsplit(link).netloc or not link.startswith(inside) or link.startswith(outside):
                continue
            if link in seen or per_pattern[_pattern(link)] >= PER_PATTERN:
                continue
            seen.add(link)
            per_pattern[_pattern(link)] += 1
            queue.append(link)
    return pages
