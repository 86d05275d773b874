#!/usr/bin/env bash
# The HTTP benchmark of issue 13, in one command: protected-route throughput and CPU against a floor and a peer,
# the open-route overhead, replay rejections, the instrumentation cost and the open route under a hung provider.
#
#   benchmarks/http/peer-bench.sh [ROUNDS] [PHASES]     # defaults: 2 rounds, phases "main replay stall" (also: mab)
#
# 1. installs captcha-security (parent, core, starter) into a PRIVATE local Maven repository ($M2, default
#    $WORK/m2, seeded once from ~/.m2/repository), never into ~/.m2;
# 2. copies benchmarks/http/peer-bench/ to $WORK/bench and builds its apps against that repository:
#    limit/ (the floor), peer/ (the peer starter on Boot 2.7), ours/app/ (the starter), ours/c0/ (the same app
#    without the starter), ours/metrics/ (the same app with Actuator + Prometheus registry);
# 3. runs ours/run2.sh: each app a fresh JVM, alone, alternating, WARM of load then DUR measured, against nginx
#    as a fast siteverify on 127.0.0.1 (and ours/stall_stub.py as a provider that never answers in time);
# 4. prints ours/table.py's tables (req/s, p99, CPU ms per request, JIT and GC CPU per window, ratios, and the
#    issue 13 figures).
# Needs JDK 17, nginx, wrk, curl, python3, ss, jcmd (apt-get install -y nginx wrk curl python3 iproute2).
# Env knobs: WORK (default: a new temporary folder) M2 SKIP_BUILD=1 (reuse $WORK's jars) and those of run2.sh:
#   WARM (120s) DUR (20s) THREADS (2) CONNS (64) OPEN_WARM (30s) C0_WARM (60s) REPLAY_WARM (60s) METRICS_WARM
#   STALL_S (10) STALL_CONNS (256) JAVA_OPTS (-Xms1g -Xmx1g ...) QUIET_PCT MAX_WAIT OTHER_MAX RETRIES PORT_BASE
# A quick check of the script itself (figures meaningless: the JIT needs 100-150 s):
#   WARM=20s DUR=10s OPEN_WARM=5s C0_WARM=10s REPLAY_WARM=5s MAX_WAIT=3 benchmarks/http/peer-bench.sh 1
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROUNDS=${1:-2}
PHASES=${2:-main replay stall}
WORK=${WORK:-$(mktemp -d -t captcha-peer-bench.XXXXXX)}
M2=${M2:-$WORK/m2}
BENCH=$WORK/bench
mkdir -p "$WORK"
echo "peer-bench: work folder $WORK, Maven repository $M2"

mvn_private() { "$ROOT/mvnw" -B -q -Dmaven.repo.local="$M2" "$@"; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
	if [[ ! -d "$M2" ]]; then
		if [[ -d "$HOME/.m2/repository" ]]; then
			echo "seeding $M2 from ~/.m2/repository"
			cp -r "$HOME/.m2/repository" "$M2"
		else
			mkdir -p "$M2"
		fi
	fi
	echo "installing captcha-security-core and -starter into $M2"
	(cd "$ROOT" && mvn_private -DskipTests -Dspring-javaformat.skip=true -Dcheckstyle.skip=true \
		-pl captcha-security-starter -am install)
	rm -rf "$BENCH"
	mkdir -p "$BENCH"
	(cd "$HERE/peer-bench" && tar --exclude=target --exclude=logs -cf - .) | (cd "$BENCH" && tar -xf -)
	for app in limit peer ours/app ours/c0 ours/metrics; do
		echo "building $app"
		mvn_private -DskipTests -f "$BENCH/$app/pom.xml" package
	done
fi
for jar in limit/target/limit.jar peer/target/peer.jar ours/app/target/ours.jar ours/c0/target/c0.jar \
	ours/metrics/target/ours-metrics.jar; do
	[[ -f "$BENCH/$jar" ]] || { echo "missing $BENCH/$jar (build failed?)" >&2; exit 1; }
done

bash "$BENCH/ours/run2.sh" "$ROUNDS" "$PHASES"
python3 "$BENCH/ours/table.py" "$BENCH/ours/logs/results.txt"
echo
echo "raw results: $BENCH/ours/logs/results.txt (wrk output, app logs and JFR recordings beside it)"
