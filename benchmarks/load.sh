#!/usr/bin/env bash
# Load test of the public site (issue 7 item 5): gunicorn on loopback, wrk for 60 s with 50
# connections over a mix of public URLs read from the database; writes
# benchmarks/results/load.md and exits non-zero if any response was not 2xx or any socket
# failed.
#
#   benchmarks/load.sh                       # the generated province (make province)
#   DATABASE_URL=postgres://… DURATION=30s CONNECTIONS=50 benchmarks/load.sh
#
# Needs wrk (apt-get install -y wrk) and Redis on 127.0.0.1:6379 (the workers share the
# page cache there, under a key prefix of their own, so every run starts cold).
set -euo pipefail
trap 'echo "load.sh：第 $LINENO 行出错" >&2' ERR
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/province}"
PORT="${PORT:-8765}"
DURATION="${DURATION:-60s}"
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-2}"
URL_COUNT="${URL_COUNT:-3000}"
CORES="$(nproc)"
# Sync workers, the usual 2 × cores + 1: a request waits on the database or Redis about
# as long as it computes, so one extra worker per core keeps the cores busy.
WORKERS="${WORKERS:-$((2 * CORES + 1))}"
RESULTS=benchmarks/results/load.md
WORK="$(mktemp -d)"

command -v wrk >/dev/null || { echo "wrk 未安装：apt-get install -y wrk" >&2; exit 2; }
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "端口 $PORT 已被占用：用 PORT=… 指定一个空闲端口" >&2
  exit 2
fi

# Production settings, but plain http on loopback: no TLS redirect, no secure-only cookies.
export DEBUG=0
export SECRET_KEY="load-test-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export ALLOWED_HOSTS=127.0.0.1
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
export CACHE_KEY_PREFIX="load-$(date +%s)-$$"
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"
# No static file is requested: WhiteNoise's warning that STATIC_ROOT was never collected
# is noise here.
export PYTHONWARNINGS="ignore:No directory at:UserWarning"

GUNICORN=""
cleanup() {
  if [[ -n "$GUNICORN" ]]; then
    kill "$GUNICORN" 2>/dev/null || true  # the master; it stops its workers
    wait "$GUNICORN" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The URL list: "<kind> <path>" lines drawn (fixed seed) from what the database publishes,
# across every region and year, with the filters, sorts and pages people use.
urls() {
  .venv/bin/python - "$1" <<'PY'
import os, random, sys
from urllib.parse import quote

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
django.setup()
from evaluations import policies  # noqa: E402
from evaluations.selectors import published_years  # noqa: E402

count, rng = int(sys.argv[1]), random.Random(7)
# Traffic is uneven: a few large districts draw most visitors (weight 1/√rank), and a
# region's newest years most of its visits (each year half as often as the next).
pairs, pair_weights = [], []
for rank, (region, years) in enumerate(published_years(), start=1):
    for age, year in enumerate(years):
        pairs.append((region.code, year))
        pair_weights.append(rank**-0.5 * 2.0**-age)
units = list(
    policies.public_unit_evaluations().values_list("region__code", "unit_id").distinct()
)
projects = list(policies.public_projects().values_list("region__code", "year", "number"))
UNIT_QUERIES = ("", "?sort=-score", "?grade=优", "?kind=township", "?sort=unit&page=2", "?q=局")
PROJECT_QUERIES = (
    "", "?page=2", "?sort=-total_amount", "?grade=良&sort=score", "?q=教育", "?page=3&sort=-score"
)


def pick(kind):
    [(code, year)] = rng.choices(pairs, weights=pair_weights)
    if kind == "index":
        return "/"
    if kind == "region":
        return f"/{code}/"
    if kind == "overview":
        return f"/{code}/{year}/"
    if kind == "summary.json":
        return f"/{code}/{year}/summary.json"
    if kind == "charts":
        return f"/{code}/{year}/charts/"
    if kind == "units":
        return f"/{code}/{year}/units/{rng.choice(UNIT_QUERIES)}"
    if kind == "projects":
        return f"/{code}/{year}/projects/{rng.choice(PROJECT_QUERIES)}"
    if kind == "unit":
        code, unit = rng.choice(units)
        return f"/{code}/units/{unit}/"
    code, year, number = rng.choice(projects)
    return f"/{code}/{year}/projects/{number}/"


MIX = {"overview": 15, "summary.json": 10, "units": 15, "projects": 20, "unit": 10,
       "project": 20, "charts": 5, "region": 3, "index": 2}
for kind in rng.choices(list(MIX), weights=list(MIX.values()), k=count):
    print(kind, quote(pick(kind), safe="/?=&-"))
PY
}

# Rows of the main tables and the database's size, for the report.
sizes() {
  .venv/bin/python - <<'PY'
import os, sys

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfmgmt.settings")
django.setup()
from django.db import connection  # noqa: E402

from evaluations.models import FundingLine, IndicatorNode, Project, Region, UnitEvaluation  # noqa: E402

with connection.cursor() as cursor:
    cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    size = cursor.fetchone()[0]
counts = ", ".join(
    f"{model.objects.count():,} {model._meta.verbose_name}"
    for model in (Region, UnitEvaluation, Project, FundingLine, IndicatorNode)
)
print(f"{counts}; {size}")
PY
}

echo "读取公开 URL 列表（$URL_COUNT 个）…"
urls "$URL_COUNT" > "$WORK/urls.txt"
URL_MIX="$(cut -d' ' -f1 "$WORK/urls.txt" | sort | uniq -c | sort -rn)"
cut -d' ' -f2 "$WORK/urls.txt" > "$WORK/paths.txt"

echo "启动 gunicorn：127.0.0.1:$PORT，$WORKERS 个 worker…"
.venv/bin/gunicorn perfmgmt.wsgi:application \
  --bind "127.0.0.1:$PORT" --workers "$WORKERS" --worker-class sync \
  --error-logfile "$WORK/gunicorn.log" --access-logfile /dev/null --timeout 60 &
GUNICORN=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/?ready" && break
  sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/?ready" || { cat "$WORK/gunicorn.log" >&2; exit 1; }

# One client first, the first distinct URLs of each kind (up to 5), each asked for once so
# uncached: the server time of each kind of page. Every one must answer 200 before the
# clock starts (a wrong URL list is not a load result).
for kind in $(cut -d' ' -f1 "$WORK/urls.txt" | sort -u); do
  awk -v kind="$kind" '$1 == kind && !seen[$2]++ && n++ < 5 { print $2 }' "$WORK/urls.txt" |
    while read -r path; do
      echo "$kind $path $(curl -s -o /dev/null -w '%{http_code} %{time_total}' \
        "http://127.0.0.1:$PORT$path" || true)"
    done
done > "$WORK/single.txt"
if awk '$3 != 200 { print; bad = 1 } END { exit !bad }' "$WORK/single.txt" >&2; then
  exit 1
fi
SINGLE="$(sort -k1,1 -k4,4n "$WORK/single.txt" | awk '
  { n[$1]++; t[$1, n[$1]] = $4 * 1000 }
  END {
    for (kind in n) {
      printf "| %s | %d | %.0f | %.0f |\n", kind, n[kind], t[kind, int((n[kind] + 1) / 2)],
        t[kind, n[kind]]
    }
  }' | sort)"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk：$DURATION，$CONNECTIONS 个连接，$THREADS 个线程…"
URLS="$WORK/paths.txt" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 10s \
  --latency -s benchmarks/load.lua "http://127.0.0.1:$PORT" | tee "$WORK/wrk.txt"

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
distinct="$(sort -u "$WORK/paths.txt" | wc -l)"
value() { awk -v key="$1" '$1 == key { print $2 }' "$WORK/wrk.txt"; }
non2xx="$(value non2xx)"
socket="$(value socket_errors)"
db_name="${DATABASE_URL##*/}"
db_rows="$(sizes)"
cpu="$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')"
verdict="通过：没有非 2xx 响应，没有连接错误"
if [[ "$non2xx" != 0 || "$socket" != 0 ]]; then verdict="未通过：有错误响应或连接错误"; fi

cat > "$RESULTS" <<EOF
# Load test: the public site under gunicorn (issue 7 item 5)

Goal: 60 s, 50 concurrent connections over a realistic mix of public URLs, **zero** non-2xx
responses and zero socket errors; throughput and p50 / p95 / p99 recorded.
Result: **$verdict**.

Run by \`benchmarks/load.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)
(plus the working tree's changes).

| figure | value |
|---|---|
| requests | $(value requests) in $(value duration_s) s |
| throughput | **$(value throughput_rps) requests/s** |
| p50 latency | $(value p50_ms) ms |
| p90 latency | $(value p90_ms) ms |
| p95 latency | **$(value p95_ms) ms** |
| p99 latency | $(value p99_ms) ms |
| max latency | $(value max_ms) ms |
| non-2xx responses | **$non2xx** |
| socket errors (connect / read / write / timeout) | **$socket** |

Set-up: gunicorn $(.venv/bin/python -c "import gunicorn; print(gunicorn.__version__)"), $WORKERS sync workers
(2 × $CORES cores + 1), \`DEBUG=0\`, production settings with TLS redirect and secure cookies
off (plain http on 127.0.0.1), \`CONN_MAX_AGE=$CONN_MAX_AGE\`, the page cache in Redis
(\`$REDIS_URL\`) under a fresh key prefix: the run starts with a cold cache, and a page
asked for again (popular pages are drawn more than once) is served from the cache.
wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'): $THREADS threads, $CONNECTIONS connections,
$DURATION, 10 s timeout; p95 from \`latency:percentile(95)\` in benchmarks/load.lua.

Database \`$db_name\` (PostgreSQL): $db_rows.

With $CONNECTIONS connections always waiting, the latency is mostly queueing for a worker:
connections ÷ throughput ≈ the mean latency. What one page costs the server is the
single-client time below.

One client before the run, the first distinct URLs of each kind (up to 5, each asked for
once, so uncached; median and slowest, in ms):

| kind | requests | median ms | slowest ms |
|---|---:|---:|---:|
$SINGLE

URL mix (kinds in the list of $URL_COUNT, $distinct of them distinct, drawn with repeats: regions weighted 1/√rank,
each year half as often as the next newer one; every connection cycles through the list
from its own place):

\`\`\`
$URL_MIX
\`\`\`

Machine: $CORES cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GB RAM; wrk and PostgreSQL
run on the same machine as gunicorn, and other work may be running at the same time:
load average $load_before before the run, $load_after after it (1, 5, 15 min). The same
run measured 35 requests/s with p50 1.4 s while the machine's load average stayed at 5–8,
so compare runs made under the same load only.

wrk's own report:

\`\`\`
$(sed '/^LOAD-RESULT/,$d' "$WORK/wrk.txt")
\`\`\`
EOF
echo "结果已写入 $RESULTS：$verdict"
[[ "$non2xx" == 0 && "$socket" == 0 ]]
