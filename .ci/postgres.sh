#!/usr/bin/env bash
# PostgreSQL + pgvector for the store tests, from Debian's packages, on a fresh Debian machine.
# Idempotent. Everything it says goes to stderr; stdout is one line, the DSN of a test database.
set -euo pipefail
# fd 3 keeps the caller's stdout for the DSN; everything else goes to stderr. The setup runs with
# fd 3 closed so that no daemon it starts (the PostgreSQL server) inherits the caller's pipe:
# a `$(bash .ci/postgres.sh)` would otherwise wait for that server to exit, i.e. forever.
exec 3>&1 1>&2

setup() {
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
    export DEBIAN_FRONTEND=noninteractive

    as_root apt-get update -qq
    as_root apt-get install -y -qq postgresql >/dev/null
    major="$(ls /usr/lib/postgresql | sort -n | tail -1)"
    pg_config="/usr/lib/postgresql/$major/bin/pg_config"

    if [ ! -f "/usr/share/postgresql/$major/extension/vector.control" ]; then
        if apt-cache show "postgresql-$major-pgvector" >/dev/null 2>&1; then
            as_root apt-get install -y -qq "postgresql-$major-pgvector" >/dev/null
        else
            # Debian ships pgvector only from trixie on, built for that release's PostgreSQL:
            # build Debian's source package of it against this release's server headers.
            as_root apt-get install -y -qq build-essential dpkg-dev "postgresql-server-dev-$major" >/dev/null
            work="$(mktemp -d)"
            echo "deb-src http://deb.debian.org/debian trixie main" >"$work/trixie-src.list"
            apt_src=(-o "Dir::Etc::sourcelist=$work/trixie-src.list" -o "Dir::Etc::sourceparts=-" -o "APT::Get::List-Cleanup=0")
            as_root apt-get update -qq "${apt_src[@]}"
            (cd "$work" && as_root apt-get source -qq --download-only "${apt_src[@]}" pgvector \
                && as_root dpkg-source -x pgvector_*.dsc pgvector >/dev/null \
                && as_root make -s -C pgvector -j"$(nproc)" PG_CONFIG="$pg_config" \
                && as_root make -s -C pgvector install PG_CONFIG="$pg_config")
            as_root rm -rf "$work"
            as_root apt-get update -qq  # drop the trixie source list from apt's cache again
        fi
    fi

    if ! pg_lsclusters -h | grep -q "^$major "; then
        as_root pg_createcluster "$major" main >/dev/null
    fi
    if ! pg_lsclusters -h | grep -q "^$major main .* online"; then
        as_root pg_ctlcluster "$major" main start
    fi
    port="$(pg_lsclusters -h | awk -v v="$major" '$1 == v && $2 == "main" {print $3}')"

    # A login role that owns the test database (and so may create schemas in it), not a superuser;
    # the extension is created once here, by the superuser.
    as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 <<'SQL'
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'memveil_test') THEN
        CREATE ROLE memveil_test LOGIN PASSWORD 'memveil_test';
    END IF;
END $$;
SQL
    if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'memveil_test'" | grep -q 1; then
        as_postgres createdb -p "$port" -O memveil_test memveil_test
    fi
    as_postgres psql -q -p "$port" -d memveil_test -c "CREATE EXTENSION IF NOT EXISTS vector"
}

setup 3>&-
echo "postgresql://memveil_test:memveil_test@127.0.0.1:$port/memveil_test" >&3
