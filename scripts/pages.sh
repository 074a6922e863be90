# Every kind of hoego page, with real ids for the pages about one record: `page_paths DB`
# prints one path per line. Sourced by scripts/stress-pages and scripts/soak.
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
