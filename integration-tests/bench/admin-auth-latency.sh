#!/usr/bin/env bash
# Wall time of admin API calls with HTTP Basic credentials, against a running router: the right password, a wrong one,
# and an unknown user. Each is called N+10 times; the first 10 are warm-up; the median and p90 of the rest are printed.
#   usage: integration-tests/bench/admin-auth-latency.sh [base-url] [user:password] [N]
#   e.g. COE_ADMIN_PASSWORD=secret ./mvnw -B -pl router-service spring-boot:run -Dspring-boot.run.profiles=demo
#        integration-tests/bench/admin-auth-latency.sh http://localhost:8080 admin:secret 50
set -euo pipefail
base=${1:-http://localhost:8080}
credentials=${2:-admin:secret}
n=${3:-50}
user=${credentials%%:*}
for who in "$credentials" "$user:wrong-password" "nobody:x"; do
  for _ in $(seq 1 $((n + 10))); do
    curl -s -o /dev/null -w "%{time_total}\n" -u "$who" "$base/admin/api/config"
  done | tail -n "$n" | sort -n | awk -v who="${who%%:*}$( [ "$who" = "$credentials" ] && echo ' (right password)' || echo ' (wrong)')" \
    '{ t[NR] = $1 } END { printf "%-28s median %6.1f ms   p90 %6.1f ms   (n=%d)\n", who, t[int((NR + 1) / 2)] * 1000, t[int(NR * 0.9)] * 1000, NR }'
done
