# Shared by hoego's page benchmarks and stress runs (scripts/bench, bench-insights,
# stress-pages, soak).

# Every kind of hoego page, with real ids for the pages about one record: `page_paths DB`
# prints one path per line.
page_paths() {
  local db=$1
  pick() { sqlite3 "$db" "$1"; }
  printf '%s\n' / /incidents "/incidents?severity=P1&status=resolved" "/incidents?page=40" \
    /incidents/new "/incidents/new?template=sre" /action-items "/action-items?state=overdue" \
    "/search?q=redis+connection+pool+exhausted" "/search?q=%EC%BF%A0%ED%8F%B0+%EB%B0%9C%EA%B8%89+%EC%A7%80%EC%97%B0" \
    "/search?q=%22timeout%22+-kafka" /root-causes "/root-causes?q=pool" /alerts /load-tests \
    /scenarios /scenarios/new /import /insights "/insights?period=week&severity=P1" \
    /account /account/tokens /admin/people /admin/audit /admin/webhooks
  pick "SELECT '/incidents/' || id FROM incidents ORDER BY random() LIMIT 300"
  pick "SELECT '/incidents/' || id || '/edit' FROM incidents ORDER BY random() LIMIT 60"
  pick "SELECT '/incidents/' || incident_id || '/timeline/' || id || '/edit' FROM timeline_events ORDER BY random() LIMIT 40"
  pick "SELECT '/incidents/' || incident_id || '/five-whys/' || id || '/edit' FROM five_whys ORDER BY random() LIMIT 40"
  pick "SELECT '/incidents/' || incident_id || '/action-items/' || id || '/edit' FROM action_items ORDER BY random() LIMIT 40"
  pick "SELECT '/scenarios/' || id FROM scenarios"
  pick "SELECT '/scenarios/' || id || '/edit' FROM scenarios"
}

# wrk's durations (850.00us, 12.34ms, 1.20s) in milliseconds.
to_ms() {
  awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)}
        else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.1f\n", v}'
}

# sign_in BASE NAME PASSWORD: the session cookie (`hoego_session=…`) of a browser-style sign-in.
sign_in() {
  curl -s -o /dev/null -D - -H "Origin: $1" \
    --data-urlencode "name=$2" --data-urlencode "password=$3" --data-urlencode "next=/" \
    "$1/auth/sign-in" | sed -n 's/^[Ss]et-[Cc]ookie: \(hoego_session=[^;]*\).*/\1/p'
}

# start_bench_server DIR: serves DIR's database from the release build on a free port, with a
# signed-in engineer and a read token. Sets `port`, `server` (its pid), `session` (the cookie
# header value) and `token`. Stop it with stop_bench_server.
start_bench_server() {
  local dir=$1 password
  password=$(./target/release/hoego user --data-dir "$dir" add bench --role engineer | sed 's/.*shown once): //')
  token=$(./target/release/hoego token --data-dir "$dir" create --name bench --scope read 2>/dev/null)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  RUST_LOG=warn,server::search::similar=info ./target/release/hoego serve --data-dir "$dir" \
    --addr "127.0.0.1:$port" --site-root target/site >"$dir/server.log" 2>&1 &
  server=$!
  # Opening 100,000 incidents' database and index takes a while.
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { log "the server did not start"; exit 1; }
  # The server lists its newest incidents' similar incidents in the background after start
  # (about 25 s at 10,000, 5 min at 100,000); measuring while that runs would charge its CPU
  # to whichever target came first.
  for _ in $(seq 6000); do grep -q "similar incidents precomputed" "$dir/server.log" && break; sleep 0.1; done
  grep "similar incidents precomputed" "$dir/server.log" | sed 's/^/    /' >&2 || true
  # Sign in as a browser does (the form post, from the site's own origin) and keep the cookie.
  session=$(sign_in "http://127.0.0.1:$port" bench "$password")
  [ -n "$session" ] || { log "could not sign in"; exit 1; }
}

stop_bench_server() {
  [ -z "${server:-}" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  server=
}

# A target that does not answer 200 would be measured as a fast error page.
expect_ok() { # path [header]
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' ${2:+-H "$2"} "http://127.0.0.1:$port$1")
  [ "$code" = 200 ] || { log "$1 answered $code, not 200"; exit 1; }
}

table_header() {
  echo "| target                             |       p50 |       p99 |      req/s | non-2xx |"
  echo "|------------------------------------|-----------|-----------|------------|---------|"
}

# measure NAME PATH [LUA] [HEADER]: one table row of wrk's p50, p99, req/s and non-2xx
# answers, with $CONNECTIONS connections for $SECONDS_PER_TARGET seconds.
measure() {
  # A header passed where the script goes would be read as a script wrk cannot find, and wrk
  # then runs without it: the target would be measured without its credentials.
  [ -z "${3:-}" ] || [ -f "$3" ] || { log "$1: $3 is not a wrk script"; exit 1; }
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_TARGET}s" --latency ${3:+-s "$3"} ${4:+-H "$4"} "http://127.0.0.1:$port$2" 2>&1)
  local p50 p99 rps non2xx
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  printf '| %-34s | %9s | %9s | %10s | %s |\n' "$1" "$p50" "$p99" "$rps" "${non2xx:-0}"
  # Say what a target answered when it stopped answering 200, so the run explains itself.
  if [ -n "$non2xx" ]; then
    log "$1: $(curl -s -o /dev/null -w '%{http_code}' ${4:+-H "$4"} "http://127.0.0.1:$port${2//%d/1}") after the run"
    for p in /api/v1/me /incidents; do
      log "  $p with the same credentials: $(curl -s -o /dev/null -w '%{http_code}' ${4:+-H "$4"} "http://127.0.0.1:$port$p")"
    done
  fi
}
