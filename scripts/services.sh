# Sourced by scripts/test.sh: PostgreSQL and Redis for the tests. They are started when installed
# but stopped; a server that cannot be reached fails the run (tests never skip them).

ensure_postgres() {
  local url="${ARCHIVE_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"
  local plain="${url/+psycopg/}"
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it"
    if command -v pg_ctlcluster >/dev/null 2>&1; then
      for version in $(ls /etc/postgresql 2>/dev/null); do
        pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
      done
    fi
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if ! psql "$plain" -Atqc 'select 1' >/dev/null 2>&1; then
    # A fresh Debian cluster refuses password-less TCP logins: give the postgres role a password.
    if runuser -u postgres -- psql -Atqc "ALTER USER postgres PASSWORD 'archive-test'" >/dev/null 2>&1; then
      url="postgresql+psycopg://postgres:archive-test@127.0.0.1:5432/postgres"
      plain="${url/+psycopg/}"
    fi
  fi
  if ! psql "$plain" -Atqc 'select 1' >/dev/null 2>&1; then
    echo "FATAL: PostgreSQL is required for the tests and cannot be reached at $plain" >&2
    exit 1
  fi
  export ARCHIVE_TEST_PG_URL="$url"
}

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "Redis is not answering on 127.0.0.1:6379; starting it"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/archive-tests.log || true
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "FATAL: Redis is required for the tests and cannot be reached at 127.0.0.1:6379" >&2
    exit 1
  fi
  export ARCHIVE_TEST_REDIS_URL="${ARCHIVE_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
}
