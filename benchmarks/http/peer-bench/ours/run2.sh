#!/usr/bin/env bash
# Round 2 of the CAPTCHA-verification HTTP benchmark: adds C = "ours" (captcha-security starter, Boot 4.0.7)
# and C0 (the same app without the starter) to A = peer and B = limit from ../run.sh.
#
# Usage (from any directory):  <peer-bench>/ours/run2.sh [ROUNDS] [PHASES]
#   ROUNDS (default 2): rounds of phase "main" = peer, limit, ours, c0 (each a fresh JVM, alone)
#   PHASES (default "main replay stall"):
#     main   : /protected on peer, limit, ours (WARM warm-up, DUR measured); ours also /open and replayed
#              token (library defaults: turns into 429 after captcha.abuse.block-after=10 failures); c0 /open.
#              In the last round a JFR window on /protected for ours and limit (after the measured windows).
#     replay : ours with captcha.abuse.block-after=0 / step-up-after=0: replayed token (403 captcha_replayed) vs /open
#     proto  : one more round of /protected only for PROTO_ORDER (default "ours limit peer"), round PROTO_ROUND (3)
#     stall  : ours against a provider that answers after STALL_S s (stall_stub.py): /open alone,
#              /protected alone (p99 vs the 1 s response timeout), /protected + /open at once, and the same with
#              STALL_CONNS (default 256, above Tomcat's 200 threads) stalled connections.
# Env knobs: THREADS CONNS DUR WARM OPEN_WARM C0_WARM REPLAY_WARM JAVA JAVA_OPTS QUIET_PCT QUIET_WINDOWS MAX_WAIT
#            OTHER_MAX RETRIES STALL_S STALL_CONNS PORT_BASE
# Ports (PORT_BASE=28180): stub +0, peer +1, limit +2, ours +3, c0 +4, stalled stub -1. Only 127.0.0.1.
# Tokens: ours/bench2.lua (bench.lua with a per-run id in each token, so the warm-up and measured runs never
# send the same token: ours rejects a repeated token). Needs java 17, mvn, nginx, wrk, curl, ss, python3, jcmd/jfr. Apps must be built first (see ../README.md).
# Output: ours/logs/results.txt (RUN / DISCARD / STATS / INFO lines), raw wrk output and app logs in ours/logs/.
# This copy (captcha-security benchmarks/http/peer-bench) adds to the shared harness: app "ours-metrics"
# (ours/metrics: the same app with Actuator + Micrometer Prometheus registry) measured on /protected right after
# "ours" in each main round when its jar exists; the stall phase with abuse blocking off (so that the global
# bulkhead, not the per-client reservation, is what keeps the servlet threads free); ours and ours-metrics run
# the main phase with abuse blocking off (OURS_EXTRA, see below); METRICS_WARM knob.
cd "$(dirname "$0")/.."   # the peer-bench folder: nginx.conf, ours/bench2.lua, peer/, limit/, ours/

ROUNDS=${1:-2}
PHASES=${2:-main replay stall}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
DUR=${DUR:-20s}
WARM=${WARM:-120s}          # per-JVM warm-up on /protected (peer, limit, ours)
OPEN_WARM=${OPEN_WARM:-30s} # ours: /open warm-up after its /protected runs
C0_WARM=${C0_WARM:-60s}     # c0: /open warm-up (fresh JVM)
REPLAY_WARM=${REPLAY_WARM:-60s}
RETRY_WARM=${RETRY_WARM:-10s}  # warm-up before a redone window (the JVM is already warm)
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g -XX:FlightRecorderOptions:stackdepth=256}
QUIET_PCT=${QUIET_PCT:-15}
QUIET_WINDOWS=${QUIET_WINDOWS:-3}
MAX_WAIT=${MAX_WAIT:-45}
OTHER_MAX=${OTHER_MAX:-2.0}
RETRIES=${RETRIES:-2}
STALL_S=${STALL_S:-10}
STALL_CONNS=${STALL_CONNS:-256}
PORT_BASE=${PORT_BASE:-28180}
STUB_PORT=$PORT_BASE; PEER_PORT=$((PORT_BASE + 1)); LIMIT_PORT=$((PORT_BASE + 2))
OURS_PORT=$((PORT_BASE + 3)); C0_PORT=$((PORT_BASE + 4)); STALL_PORT=$((PORT_BASE - 1))
STUB=http://127.0.0.1:$STUB_PORT
VERIFY=$STUB/siteverify

L=ours/logs
mkdir -p $L/nginx-tmp
RES=$L/results.txt
touch "$RES"
APP_PID=""; NGINX_PID=""; STALL_PID=""

log() { echo "$*" | tee -a "$RES"; }

stop_app() {
  if [[ -n "$APP_PID" ]]; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=""
  fi
}
cleanup() {
  stop_app
  if [[ -n "$STALL_PID" ]]; then kill "$STALL_PID" 2>/dev/null || true; fi
  if [[ -n "$NGINX_PID" ]]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# ---- CPU accounting (as ../run.sh) ----------------------------------------------------------
TCK=$(getconf CLK_TCK)
busy_ticks()  { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
total_ticks() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
user_ticks()  { awk '/^cpu /{print $2+$3}' /proc/stat; }
proc_ticks() { local s=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && s=$((s + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$s"; }
proc_uticks() { local s=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && s=$((s + $(awk '{print $14}' "/proc/$p/stat"))); done; echo "$s"; }
thread_ticks() {
  [[ -n "$1" ]] || { echo 0; return; }
  { cat /proc/"$1"/task/*/stat 2>/dev/null || true; } | awk -v re="$2" '{
    o = index($0, "("); c = index($0, ") "); name = substr($0, o + 1, c - o - 1)
    split(substr($0, c + 2), f, " "); if (name ~ re) s += f[12] + f[13] } END { print s + 0 }'
}
JIT_RE='^C[12] Compiler'
GC_RE='^(GC Thread|G1 )'
nginx_pids() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true); }
own_pids() { echo $APP_PID $(nginx_pids) $STALL_PID; }
stub_counts() { curl -s "$STUB/nginx_status" | awk 'NR==3{print $1, $3}'; }  # accepts requests
# CPU-s of the busiest foreign processes during the last window (from /proc, top 3), for the noise notes
snap_procs() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk '{c=index($0,") "); split(substr($0,c+2),f," "); print $1, f[12]+f[13]}'; }

wait_quiet() {
  local waited=0 quiet=0 pct b0 t0 b1 t1
  while :; do
    b0=$(busy_ticks); t0=$(total_ticks); sleep 3; b1=$(busy_ticks); t1=$(total_ticks)
    pct=$(( 100 * (b1 - b0) / (t1 - t0 + 1) ))
    if (( pct < QUIET_PCT )); then quiet=$((quiet + 1)); (( quiet >= QUIET_WINDOWS )) && break; continue; fi
    quiet=0
    (( waited == 0 )) && echo "  machine busy (${pct}%), waiting for quiet..."
    waited=$((waited + 3))
    if (( waited >= MAX_WAIT )); then log "  WARNING: still ${pct}% busy after ${waited}s, running anyway"; break; fi
  done
  (( waited > 0 )) && log "  (waited ${waited}s for a quiet machine)"
  return 0
}

kv() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

# wrk_cmd CONNS DURATION SCRIPT URL [extra wrk args...]
wrk_cmd() { local c=$1 d=$2 s=$3 u=$4; shift 4; BENCH_RUN=$(date +%s%N) wrk -t"$THREADS" -c"$c" -d"$d" --latency "$@" -s "$s" "$u"; }

# run_wrk APP ROUND ENDPOINT MODE URL WARMUP [SCRIPT]
# warm-up, then one measured window; a window during which foreign processes used more than OTHER_MAX user CPU-s is
# logged as DISCARD and redone after a RETRY_WARM warm-up (RETRIES attempts in all; the last one is kept anyway).
run_wrk() {
  local app=$1 round=$2 ep=$3 mode=$4 url=$5 warm=$6 script=${7:-ours/bench2.lua}
  local tag="$app-r$round-$ep" attempt w=$warm
  export BENCH_MODE=$mode BENCH_PREFIX="" BENCH_FIELD=g-recaptcha-response
  for attempt in $(seq "$RETRIES"); do
    wait_quiet
    [[ "$w" != 0 ]] && wrk_cmd "$CONNS" "$w" "$script" "$url" > "$L/wrk-$tag-warmup.txt" 2>&1
    measure_once "$app" "$round" "$ep" "$url" "$tag" "$script"
    if awk -v o="$OTHER_CPU" -v m="$OTHER_MAX" 'BEGIN{exit !(o <= m)}' || (( attempt == RETRIES )); then
      log "RUN $LINE"; return 0
    fi
    log "DISCARD attempt=$attempt $LINE"
    w=$RETRY_WARM
  done
}

begin_acct() {
  snap_procs > "$L/procs0.txt"
  read -r S0 Q0 <<<"$(stub_counts)"
  C0T=$(proc_ticks $APP_PID); N0=$(proc_ticks $(nginx_pids)); CU0=$(proc_uticks $(own_pids)); U0=$(user_ticks)
  J0=$(thread_ticks "$APP_PID" "$JIT_RE"); G0=$(thread_ticks "$APP_PID" "$GC_RE")
}
# end_acct TAG REQS WRK_USER_CPU_S WRK_CPU_S -> sets ACCT (key=value ...) and OTHER_CPU
end_acct() {
  local tag=$1 reqs=$2 wrk_user=$3 wrk_cpu=$4 s1 q1
  local c1 n1 cu1 u1 j1 g1
  c1=$(proc_ticks $APP_PID); n1=$(proc_ticks $(nginx_pids)); cu1=$(proc_uticks $(own_pids)); u1=$(user_ticks)
  j1=$(thread_ticks "$APP_PID" "$JIT_RE"); g1=$(thread_ticks "$APP_PID" "$GC_RE")
  read -r s1 q1 <<<"$(stub_counts)"
  snap_procs > "$L/procs1.txt"
  local app_cpu_s
  app_cpu_s=$(awk -v a="$C0T" -v b="$c1" -v t="$TCK" 'BEGIN{printf "%.1f", (b-a)/t}')
  OTHER_CPU=$(awk -v a="$U0" -v b="$u1" -v c="$CU0" -v d="$cu1" -v w="$wrk_user" -v t="$TCK" \
                'BEGIN{o=((b-a)-(d-c))/t-w; if(o<0)o=0; printf "%.1f", o}')
  # top foreign processes (user+sys CPU-s) in this window
  local mine=" $(own_pids) $$ "
  local top
  top=$(awk -v t="$TCK" -v mine="$mine" 'NR==FNR{a[$1]=$2; next} { if (index(mine, " " $1 " ")) next; d=$2-a[$1]; if (d>0) print d/t, $1 }' \
        "$L/procs0.txt" "$L/procs1.txt" | sort -rn | head -3 | while read -r s p; do
          printf '%s:%.1f,' "$(tr -d '\n' < /proc/$p/comm 2>/dev/null || echo gone)" "$s"; done || true)
  ACCT="stub_reqs=$((q1 - Q0 - 1)) stub_reqs_per_req=$(awk -v a="$Q0" -v b="$q1" -v n="$reqs" 'BEGIN{printf "%.3f", ((n>0) ? (b-a-1)/n : 0)}')"
  ACCT+=" stub_new_conns=$((s1 - S0 - 1)) app_cpu_s=$app_cpu_s"
  ACCT+=" app_cpu_ms_per_req=$(awk -v s="$app_cpu_s" -v n="$reqs" 'BEGIN{printf "%.3f", ((n>0 && s>0) ? 1000*s/n : 0)}')"
  ACCT+=" app_jit_cpu_s=$(awk -v a="$J0" -v b="$j1" -v t="$TCK" 'BEGIN{printf "%.1f", (b-a)/t}')"
  ACCT+=" app_gc_cpu_s=$(awk -v a="$G0" -v b="$g1" -v t="$TCK" 'BEGIN{printf "%.1f", (b-a)/t}')"
  ACCT+=" nginx_cpu_s=$(awk -v a="$N0" -v b="$n1" -v t="$TCK" 'BEGIN{printf "%.1f", (b-a)/t}') wrk_cpu_s=$wrk_cpu"
  ACCT+=" other_user_cpu_s=$OTHER_CPU top_foreign=${top:-none}"
}

wrk_fields() {  # wrk_fields RESULT_LINE
  local r=$1
  echo "rps=$(kv rps "$r") p50_ms=$(kv p50_ms "$r") p90_ms=$(kv p90_ms "$r") p99_ms=$(kv p99_ms "$r") max_ms=$(kv max_ms "$r")" \
       "requests=$(kv requests "$r") non2xx=$(kv non2xx "$r")" \
       "sock_err=$(kv connect_err "$r")/$(kv read_err "$r")/$(kv write_err "$r")/$(kv timeout "$r")"
}

measure_once() {  # sets LINE and OTHER_CPU
  local app=$1 round=$2 ep=$3 url=$4 tag=$5 script=$6
  begin_acct
  ( sleep 10
    echo "est=$(ss -tan state established "( dport = :$STUB_PORT )" | tail -n +2 | wc -l)" \
         "tw=$(ss -tan state time-wait "( dport = :$STUB_PORT )" | tail -n +2 | wc -l)" > "$L/ss-$tag.txt" ) &
  local sampler=$!
  BENCH_RUN=$(date +%s%N) /usr/bin/time -f '%U %S' -o "$L/time-$tag.txt" \
    "$WRKBIN" -t"$THREADS" -c"$CONNS" -d"$DUR" --latency -s "$script" "$url" > "$L/wrk-$tag.txt" 2>&1
  wait "$sampler" || true
  local r; r=$(grep '^RESULT' "$L/wrk-$tag.txt")
  local wrk_user wrk_cpu; read -r wrk_user wrk_cpu <<<"$(awk '{printf "%.2f %.1f", $1, $1+$2}' "$L/time-$tag.txt")"
  end_acct "$tag" "$(kv requests "$r")" "$wrk_user" "$wrk_cpu"
  LINE="app=$app round=$round endpoint=$ep $(wrk_fields "$r") $ACCT $(cat "$L/ss-$tag.txt")"
}
WRKBIN=$(command -v wrk)   # /usr/bin/time needs the program, not a shell function

start_app() {  # start_app NAME JAR PORT ROUND [ARGS...] -> APP_PID; returns 1 if it did not come up
  local name=$1 jar=$2 port=$3 round=$4 i; shift 4
  # shellcheck disable=SC2086
  $JAVA $JAVA_OPTS -jar "$jar" --server.port="$port" "$@" > "$L/$name-r$round.log" 2>&1 &
  APP_PID=$!
  for i in $(seq 180); do
    curl -sf "http://127.0.0.1:$port/open" > /dev/null && { log "INFO app=$name round=$round pid=$APP_PID args=$*"; return 0; }
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.5
  done
  log "FAILED to start $name (round $round), see $L/$name-r$round.log"
  stop_app
  return 1
}

stats_line() { log "STATS app=$1 round=$2 after=$3 $(curl -s "http://127.0.0.1:$4/stats")"; }

# jfr_window APP ROUND PORT: 20 s of /protected with a JFR recording (profile settings), summarised later
jfr_window() {
  local app=$1 round=$2 port=$3 f="$PWD/$L/jfr-$1-r$2.jfr"
  wait_quiet
  jcmd "$APP_PID" JFR.start name=bench settings=profile filename="$f" > /dev/null
  BENCH_RUN=$(date +%s%N) BENCH_MODE=post wrk -t"$THREADS" -c"$CONNS" -d"$DUR" --latency -s ours/bench2.lua "http://127.0.0.1:$port/protected" > "$L/wrk-$app-r$round-jfr.txt" 2>&1
  jcmd "$APP_PID" JFR.stop name=bench > /dev/null
  log "JFR app=$app round=$round file=$f $(grep '^RESULT' "$L/wrk-$app-r$round-jfr.txt" | cut -d' ' -f2-4)"
}

# replay_window APP ROUND PORT WARM: one successful use of a fixed token, then DUR of the same token
replay_window() {
  local app=$1 round=$2 port=$3 warm=$4 tok="tok-replay-$1-r$2-$RANDOM"
  local code; code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d "g-recaptcha-response=$tok" "http://127.0.0.1:$port/protected")
  log "INFO app=$app round=$round replay token first use -> HTTP $code"
  BENCH_TOKEN=$tok run_wrk "$app" "$round" replay post "http://127.0.0.1:$port/protected" "$warm" ours/replay.lua
}

# ---- stub ---------------------------------------------------------------------------------
sed -e "s/127.0.0.1:18080/127.0.0.1:$STUB_PORT/" -e "s#pid logs/nginx.pid#pid $L/nginx.pid#" \
    -e "s#logs/nginx-error.log#$L/nginx-error.log#" -e "s#logs/nginx-tmp/#$L/nginx-tmp/#" nginx.conf > $L/nginx.conf
nginx -p "$PWD/" -e $L/nginx-error.log -c $L/nginx.conf
for i in $(seq 50); do [[ -s $L/nginx.pid ]] && curl -sf "$STUB/nginx_status" > /dev/null && break; sleep 0.1; done
NGINX_PID=$(cat $L/nginx.pid)

{
  echo "== run2 $(date -u +%FT%TZ) rounds=$ROUNDS phases=$PHASES"
  $JAVA -version 2>&1 | head -2 || true
  nginx -v 2>&1; wrk -v 2>&1 | head -1 || true
  echo "cpus=$(nproc) kernel=$(uname -r)"
  echo "wrk: -t$THREADS -c$CONNS -d$DUR --latency; WARM=$WARM OPEN_WARM=$OPEN_WARM C0_WARM=$C0_WARM REPLAY_WARM=$REPLAY_WARM; JAVA_OPTS=$JAVA_OPTS"
} | tee -a "$RES"

# wrk is one client IP with CONNS connections: with the library's per-client limits (captcha.abuse.block-after=10
# verifications in flight or failed per IP) most of its requests would be answered 429 without a verification, so
# the main phase turns them off (OURS_EXTRA); the floor and the peer have no such limit.
# shellcheck disable=SC2206
OURS_EXTRA=(${OURS_EXTRA---captcha.abuse.block-after=0 --captcha.abuse.step-up-after=0})
OURS_ARGS=(--captcha.providers.stub.verify-url="$VERIFY" "${OURS_EXTRA[@]}")

if [[ " $PHASES " == *" main "* ]]; then
  for r in $(seq "$ROUNDS"); do
    last=$([[ $r == "$ROUNDS" ]] && echo 1 || echo 0)
    echo "== peer round $r"
    if start_app peer peer/target/peer.jar "$PEER_PORT" "$r" --recaptcha.validation.verification-url="$VERIFY"; then
      run_wrk peer "$r" protected post "http://127.0.0.1:$PEER_PORT/protected" "$WARM"
      stats_line peer "$r" protected "$PEER_PORT"; stop_app; sleep 2
    fi
    echo "== limit round $r"
    if start_app limit limit/target/limit.jar "$LIMIT_PORT" "$r" --captcha.verify-url="$VERIFY"; then
      run_wrk limit "$r" protected post "http://127.0.0.1:$LIMIT_PORT/protected" "$WARM"
      stats_line limit "$r" protected "$LIMIT_PORT"
      (( last )) && jfr_window limit "$r" "$LIMIT_PORT"
      stop_app; sleep 2
    fi
    echo "== ours round $r"
    if start_app ours ours/app/target/ours.jar "$OURS_PORT" "$r" "${OURS_ARGS[@]}"; then
      run_wrk ours "$r" protected post "http://127.0.0.1:$OURS_PORT/protected" "$WARM"
      stats_line ours "$r" protected "$OURS_PORT"
      run_wrk ours "$r" open get "http://127.0.0.1:$OURS_PORT/open" "$OPEN_WARM"
      (( last )) && jfr_window ours "$r" "$OURS_PORT"
      # with the shared harness's library defaults the replays turn into 429 after 10 failures; with OURS_EXTRA
      # (blocking off, the default here) they stay 403 captcha_replayed
      replay_window ours "$r" "$OURS_PORT" 10s
      stats_line ours "$r" replay "$OURS_PORT"; stop_app; sleep 2
    fi
    if [[ -f ours/metrics/target/ours-metrics.jar ]]; then
      echo "== ours-metrics round $r"
      if start_app ours-metrics ours/metrics/target/ours-metrics.jar "$OURS_PORT" "$r" "${OURS_ARGS[@]}" \
           --management.endpoints.web.exposure.include=prometheus; then
        run_wrk ours-metrics "$r" protected post "http://127.0.0.1:$OURS_PORT/protected" "${METRICS_WARM:-$WARM}"
        stats_line ours-metrics "$r" protected "$OURS_PORT"
        log "INFO app=ours-metrics round=$r captcha meter lines in /actuator/prometheus:" \
          "$(curl -s "http://127.0.0.1:$OURS_PORT/actuator/prometheus" | grep -c '^captcha')"
        stop_app; sleep 2
      fi
    fi
    echo "== c0 round $r"
    if start_app c0 ours/c0/target/c0.jar "$C0_PORT" "$r"; then
      # the same request history as ours before its /open window: WARM of POST /protected (here a plain
      # handler, no CAPTCHA), then OPEN_WARM of /open; C0_HISTORY=0 warms with C0_WARM of /open only
      if [[ "${C0_HISTORY:-1}" == 1 ]]; then
        wait_quiet
        BENCH_RUN=$(date +%s%N) BENCH_MODE=post wrk_cmd "$CONNS" "$WARM" ours/bench2.lua \
          "http://127.0.0.1:$C0_PORT/protected" > "$L/wrk-c0-r$r-history.txt" 2>&1
        run_wrk c0 "$r" open get "http://127.0.0.1:$C0_PORT/open" "$OPEN_WARM"
      else
        run_wrk c0 "$r" open get "http://127.0.0.1:$C0_PORT/open" "$C0_WARM"
      fi
      stats_line c0 "$r" open "$C0_PORT"; stop_app; sleep 2
    fi
  done
fi

# phase "mab" (issue 11): the app with Actuator + Prometheus registry twice, the captcha observation and meters
# off, then on: the library's own instrumentation cost with Micrometer present
if [[ " $PHASES " == *" mab "* ]]; then
  for variant in off on; do
    extra=()
    [[ $variant == off ]] && extra=(--management.observations.enable.captcha=false --management.metrics.enable.captcha=false)
    echo "== ours-metrics-$variant"
    if start_app ours-metrics-$variant ours/metrics/target/ours-metrics.jar "$OURS_PORT" 1 "${OURS_ARGS[@]}" \
         --management.endpoints.web.exposure.include=prometheus "${extra[@]}"; then
      run_wrk ours-metrics-$variant 1 protected post "http://127.0.0.1:$OURS_PORT/protected" "$WARM"
      log "INFO app=ours-metrics-$variant captcha meter lines: $(curl -s "http://127.0.0.1:$OURS_PORT/actuator/prometheus" | grep -c '^captcha')"
      stop_app; sleep 2
    fi
  done
fi

if [[ " $PHASES " == *" replay "* ]]; then
  echo "== ours, abuse blocking off: replay vs open"
  if start_app ours-noblock ours/app/target/ours.jar "$OURS_PORT" 1 --captcha.providers.stub.verify-url="$VERIFY" \
       --captcha.abuse.block-after=0 --captcha.abuse.step-up-after=0; then
    replay_window ours-noblock 1 "$OURS_PORT" "$REPLAY_WARM"
    stats_line ours-noblock 1 replay "$OURS_PORT"
    run_wrk ours-noblock 1 open get "http://127.0.0.1:$OURS_PORT/open" 10s
    stats_line ours-noblock 1 open "$OURS_PORT"; stop_app; sleep 2
  fi
fi

# stall_window TAG PCONNS: /protected (PCONNS connections, stalled provider) and /open (CONNS) at the same time
stall_window() {
  local tag=$1 pc=$2
  wait_quiet
  kill -USR1 "$STALL_PID"; sleep 0.2
  begin_acct
  BENCH_RUN=$(date +%s%N)-p BENCH_MODE=post /usr/bin/time -f '%U %S' -o "$L/time-stall-$tag-p.txt" \
    "$WRKBIN" -t"$THREADS" -c"$pc" -d"$DUR" --timeout 15s --latency -s ours/bench2.lua "http://127.0.0.1:$OURS_PORT/protected" > "$L/wrk-stall-$tag-protected.txt" 2>&1 &
  local wp=$!
  BENCH_RUN=$(date +%s%N)-o BENCH_MODE=get /usr/bin/time -f '%U %S' -o "$L/time-stall-$tag-o.txt" \
    "$WRKBIN" -t"$THREADS" -c"$CONNS" -d"$DUR" --latency -s ours/bench2.lua "http://127.0.0.1:$OURS_PORT/open" > "$L/wrk-stall-$tag-open.txt" 2>&1 &
  local wo=$!
  wait "$wp" "$wo" || true
  local rp ro wu wc
  rp=$(grep '^RESULT' "$L/wrk-stall-$tag-protected.txt"); ro=$(grep '^RESULT' "$L/wrk-stall-$tag-open.txt")
  read -r wu wc <<<"$(cat "$L/time-stall-$tag-p.txt" "$L/time-stall-$tag-o.txt" | awk '{u+=$1; c+=$1+$2} END{printf "%.2f %.1f", u, c}')"
  end_acct "stall-$tag" "$(( $(kv requests "$rp") + $(kv requests "$ro") ))" "$wu" "$wc"
  kill -USR1 "$STALL_PID"; sleep 0.2
  log "RUN app=ours-stall round=1 endpoint=protected+open:$tag pconns=$pc protected: $(wrk_fields "$rp")"
  log "RUN app=ours-stall round=1 endpoint=open+protected:$tag pconns=$pc open: $(wrk_fields "$ro") $ACCT"
  log "INFO stall stub: $(grep STALL_STATS $L/stall-stub.log | tail -2 | tr '\n' ' ')"
}

if [[ " $PHASES " == *" stall "* ]]; then
  echo "== ours, stalled provider (answers after ${STALL_S}s)"
  python3 ours/stall_stub.py "$STALL_PORT" "$STALL_S" 2> $L/stall-stub.log &
  STALL_PID=$!
  sleep 1
  if start_app ours-stall ours/app/target/ours.jar "$OURS_PORT" 1 \
       --captcha.providers.stub.verify-url="http://127.0.0.1:$STALL_PORT/siteverify" \
       --captcha.abuse.block-after=0 --captcha.abuse.step-up-after=0; then
    run_wrk ours-stall 1 open get "http://127.0.0.1:$OURS_PORT/open" "$OPEN_WARM"
    # /protected alone against the stalled provider (wrk timeout 15 s, so the app's own timeout decides)
    wait_quiet
    kill -USR1 "$STALL_PID"; sleep 0.2
    begin_acct
    BENCH_RUN=$(date +%s%N)-p BENCH_MODE=post /usr/bin/time -f '%U %S' -o "$L/time-stall-alone.txt" \
      "$WRKBIN" -t"$THREADS" -c"$CONNS" -d"$DUR" --timeout 15s --latency -s ours/bench2.lua "http://127.0.0.1:$OURS_PORT/protected" > "$L/wrk-stall-alone.txt" 2>&1
    r=$(grep '^RESULT' "$L/wrk-stall-alone.txt")
    read -r wu wc <<<"$(awk '{printf "%.2f %.1f", $1, $1+$2}' "$L/time-stall-alone.txt")"
    end_acct stall-alone "$(kv requests "$r")" "$wu" "$wc"
    kill -USR1 "$STALL_PID"; sleep 0.2
    log "RUN app=ours-stall round=1 endpoint=protected-alone $(wrk_fields "$r") $ACCT"
    log "INFO stall stub: $(grep STALL_STATS $L/stall-stub.log | tail -2 | tr '\n' ' ')"
    stats_line ours-stall 1 protected-alone "$OURS_PORT"
    stall_window c$CONNS "$CONNS"
    stall_window c$STALL_CONNS "$STALL_CONNS"
    stats_line ours-stall 1 stall "$OURS_PORT"
    grep -c 'WARN' "$L/ours-stall-r1.log" | sed 's/^/INFO ours-stall WARN log lines: /' | tee -a "$RES"
    stop_app
  fi
  kill "$STALL_PID" 2>/dev/null || true; wait "$STALL_PID" 2>/dev/null || true; STALL_PID=""
fi
# proto: one more /protected-only round (fresh JVM each, WARM warm-up), apps in PROTO_ORDER, numbered PROTO_ROUND
if [[ " $PHASES " == *" proto "* ]]; then
  r=${PROTO_ROUND:-3}
  for app in ${PROTO_ORDER:-ours limit peer}; do
    echo "== $app round $r (protected only)"
    case $app in
      peer)  start_app peer peer/target/peer.jar "$PEER_PORT" "$r" --recaptcha.validation.verification-url="$VERIFY" && {
               run_wrk peer "$r" protected post "http://127.0.0.1:$PEER_PORT/protected" "$WARM"
               stats_line peer "$r" protected "$PEER_PORT"; stop_app; sleep 2; } ;;
      limit) start_app limit limit/target/limit.jar "$LIMIT_PORT" "$r" --captcha.verify-url="$VERIFY" && {
               run_wrk limit "$r" protected post "http://127.0.0.1:$LIMIT_PORT/protected" "$WARM"
               stats_line limit "$r" protected "$LIMIT_PORT"; stop_app; sleep 2; } ;;
      ours)  start_app ours ours/app/target/ours.jar "$OURS_PORT" "$r" "${OURS_ARGS[@]}" && {
               run_wrk ours "$r" protected post "http://127.0.0.1:$OURS_PORT/protected" "$WARM"
               stats_line ours "$r" protected "$OURS_PORT"; stop_app; sleep 2; } ;;
    esac
  done
fi
log "== done $(date -u +%FT%TZ)"
