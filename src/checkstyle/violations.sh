#!/usr/bin/env bash
# Runs Checkstyle (src/checkstyle/checkstyle.xml) on every module of the reactor without stopping at the first
# failing one, then prints the number of violations per check and the total. With -v also lists each violation
# (file:line: message [check]), e.g. to fix what a merge brought in:  src/checkstyle/violations.sh -v
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
find . -path ./benchmarks/http/app -prune -o -name checkstyle-result.xml -path '*/target/*' -print0 | xargs -0 rm -f
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
./mvnw -B -fn checkstyle:check >"$log" 2>&1 || true
if ! find . -path ./benchmarks/http/app -prune -o -name checkstyle-result.xml -path '*/target/*' -print | grep -q .; then
	echo "Checkstyle did not run:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
python3 - "$root" "${1:-}" <<'PY'
import collections, glob, os, sys
import xml.etree.ElementTree as ET
root, verbose = sys.argv[1], sys.argv[2] == "-v"
counts = collections.Counter()
lines = []
for result in sorted(glob.glob(os.path.join(root, "**", "target", "checkstyle-result.xml"), recursive=True)):
    if "/benchmarks/http/app/" in result:
        continue
    for file in ET.parse(result).getroot().iter("file"):
        for error in file.iter("error"):
            check = error.get("source", "?").rsplit(".", 1)[-1]
            check = check[:-5] if check.endswith("Check") else check
            counts[check] += 1
            lines.append(f"{os.path.relpath(file.get('name'), root)}:{error.get('line')}: {error.get('message')} [{check}]")
if verbose:
    print("\n".join(lines))
for check, count in counts.most_common():
    print(f"{count:6d}  {check}")
print(f"{sum(counts.values()):6d}  total")
PY
