#!/usr/bin/env bash
# Protected-route throughput with the memory store against the Redis store, in one run (issue 10).
#
#   benchmarks/http/store-bench.sh [ROUNDS]        # default 2 rounds of: memory, redis (each a fresh JVM)
#
# Each app is the same jar (benchmarks/http/app: the starter on POST /protected, a recaptcha-type provider
# pointed at nginx acting as a fast siteverify on 127.0.0.1:18090), started with --captcha.store.type=memory or
# redis against a local redis-server on 127.0.0.1:18091. Per app: WARM of load on /protected (the JIT needs it),
# then DUR measured with wrk (unique token per request: every request is verified once and passes).
# Prints one RESULT line per window and the redis/memory ratios; Redis commands per request come from
# INFO stats (total_commands_processed) around the measured window.
# Needs: JDK 17+, nginx, wrk, redis-server, redis-cli, curl (apt-get install -y nginx wrk redis-server curl).
# Env knobs: WARM (90s) DUR (20s) THREADS (2) CONNS (64) JAVA_OPTS (-Xms1g -Xmx1g) SKIP_BUILD (0)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROUNDS=${1:-2}
WARM=${WARM:-90s}
DUR=${DUR:-20s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
APP_PORT=18093
REDIS_PORT=18091
WORK=$(mktemp -d)
APP_PID=""

cleanup() {
	[[ -n "$APP_PID" ]] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
	[[ -f "$WORK/logs/nginx.pid" ]] && kill -QUIT "$(cat "$WORK/logs/nginx.pid")" 2>/dev/null
	redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
	(cd "$ROOT" && ./mvnw -B -q -DskipTests install)
	(cd "$HERE/app" && "$ROOT/mvnw" -B -q -DskipTests package)
fi
JAR="$HERE/app/target/store-bench.jar"

mkdir -p "$WORK/logs/nginx-tmp"
cp "$HERE/nginx.conf" "$WORK/"
nginx -p "$WORK/" -e logs/nginx-error.log -c nginx.conf
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
	--dir "$WORK" --logfile "$WORK/logs/redis.log"

TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
redis_cmds() { redis-cli -p "$REDIS_PORT" INFO stats | awk -F: '/^total_commands_processed/{print $2+0}'; }

window() { # store round: prints a RESULT line for the measured window
	local store=$1 round=$2 out c0 c1 r0 r1
	BENCH_RUN="warm$store$round" wrk -t"$THREADS" -c"$CONNS" -d"$WARM" -s "$HERE/bench.lua" \
		"http://127.0.0.1:$APP_PORT/protected" >/dev/null
	c0=$(cpu_ticks "$APP_PID"); r0=$(redis_cmds)
	out=$(BENCH_RUN="run$store$round" wrk -t"$THREADS" -c"$CONNS" -d"$DUR" --latency -s "$HERE/bench.lua" \
		"http://127.0.0.1:$APP_PORT/protected" | grep '^RESULT')
	c1=$(cpu_ticks "$APP_PID"); r1=$(redis_cmds)
	local reqs; reqs=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$out")
	echo "$out store=$store round=$round app_cpu_ms_per_req=$(awk -v d=$((c1 - c0)) -v t="$TCK" -v n="$reqs" \
		'BEGIN{printf "%.3f", d * 1000 / t / n}') redis_cmds_per_req=$(awk -v d=$((r1 - r0 - 1)) -v n="$reqs" \
		'BEGIN{printf "%.2f", d / n}')" | tee -a "$WORK/results.txt"
}

for ((r = 1; r <= ROUNDS; r++)); do
	for store in memory redis; do
		# shellcheck disable=SC2086
		java $JAVA_OPTS -jar "$JAR" --server.port=$APP_PORT --captcha.store.type=$store \
			>"$WORK/logs/app-$store-$r.log" 2>&1 &
		APP_PID=$!
		for _ in $(seq 120); do curl -sf "http://127.0.0.1:$APP_PORT/open" >/dev/null && break; sleep 0.5; done
		window "$store" "$r"
		curl -s "http://127.0.0.1:$APP_PORT/stats" | sed "s/^/STATS store=$store round=$r /"
		kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
	done
done

echo
awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	rps[f["store"] " " f["round"]] = f["rps"]; rounds[f["round"]] = 1 }
	END { for (r in rounds) { m = rps["memory " r]; d = rps["redis " r]
		if (m > 0) printf "round %s: redis/memory protected req/s = %.3f (%s vs %s)\n", r, d / m, d, m } }' \
	"$WORK/results.txt"
echo "logs: $WORK/logs"
