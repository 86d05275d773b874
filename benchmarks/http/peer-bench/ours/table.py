#!/usr/bin/env python3
"""Markdown tables + ratios from ours/logs/results.txt (RUN lines of run2.sh). Usage: table.py [results.txt]"""
import sys, re, collections
path = sys.argv[1] if len(sys.argv) > 1 else "ours/logs/results.txt"
runs, discards, stats = [], [], []
for line in open(path):
    kind = line.split(" ", 1)[0]
    if kind not in ("RUN", "DISCARD"):
        if kind == "STATS": stats.append(line.strip())
        continue
    f = dict(kv.split("=", 1) for kv in re.findall(r"(\S+=\S+)", line))
    (runs if kind == "RUN" else discards).append(f)

def row(f, cols):
    return "| " + " | ".join(f.get(c, "–") for c in cols) + " |"

cols = ["app", "endpoint", "round", "rps", "p50_ms", "p99_ms", "non2xx", "sock_err", "app_cpu_ms_per_req",
        "app_jit_cpu_s", "app_gc_cpu_s", "stub_reqs_per_req", "stub_new_conns", "tw", "nginx_cpu_s", "wrk_cpu_s",
        "other_user_cpu_s", "top_foreign"]
print("| " + " | ".join(cols) + " |"); print("|" + "---|" * len(cols))
for f in runs:
    print(row(f, cols))
if discards:
    print("\nDiscarded windows (foreign user CPU above the limit; redone):\n")
    print("| " + " | ".join(cols) + " |"); print("|" + "---|" * len(cols))
    for f in discards: print(row(f, cols))

# per (app, endpoint, round): the attempt (RUN or DISCARD) with the least foreign CPU (BEST=1, default) or the RUN
by = collections.defaultdict(dict)
import os
best = os.environ.get("BEST", "1") == "1"
for f in (runs + discards if best else runs):
    cur = by[(f["app"], f["endpoint"])].get(f["round"])
    if cur is None or float(f.get("other_user_cpu_s", 0)) < float(cur.get("other_user_cpu_s", 0)):
        by[(f["app"], f["endpoint"])][f["round"]] = f
print("\nRatios use, per app/endpoint/round, " + ("the attempt with the least foreign CPU (RUN or DISCARD)" if best else "the RUN line") + ".")
def val(app, ep, r, k="rps"):
    f = by.get((app, ep), {}).get(r); return float(f[k]) if f and f.get(k) not in (None, "") else None
def ratio(a, b): return f"{a/b:.3f}" if a and b else "–"
rounds = sorted({f["round"] for f in runs if f["app"] in ("peer", "limit", "ours", "c0")})
print("\n| round | foreign CPU-s (peer/limit/ours prot; ours/c0 open) | ours/limit protected req/s | ours/peer protected req/s | peer/limit protected | ours/limit CPU ms/req | ours/peer CPU ms/req | ours/c0 open req/s | ours/c0 open CPU ms/req | ours protected/open | ours replay(429)/open |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
sums = collections.defaultdict(list)
for r in rounds:
    op, lp, pp = val("ours", "protected", r), val("limit", "protected", r), val("peer", "protected", r)
    oc, lc, pc = (val(a, "protected", r, "app_cpu_ms_per_req") for a in ("ours", "limit", "peer"))
    oo, co = val("ours", "open", r), val("c0", "open", r)
    ooc, coc = val("ours", "open", r, "app_cpu_ms_per_req"), val("c0", "open", r, "app_cpu_ms_per_req")
    orp = val("ours", "replay", r)
    fo = lambda a, ep: (by.get((a, ep), {}).get(r) or {}).get("other_user_cpu_s", "–")
    cells = [ratio(op, lp), ratio(op, pp), ratio(pp, lp), ratio(oc, lc), ratio(oc, pc), ratio(oo, co), ratio(ooc, coc), ratio(op, oo), ratio(orp, oo)]
    fc = f'{fo("peer","protected")}/{fo("limit","protected")}/{fo("ours","protected")}; {fo("ours","open")}/{fo("c0","open")}'
    print(f"| {r} | {fc} | " + " | ".join(cells) + " |")
for a, ep in [("peer", "protected"), ("limit", "protected"), ("ours", "protected"), ("ours", "open"), ("c0", "open"), ("ours", "replay")]:
    xs = [val(a, ep, r) for r in rounds if val(a, ep, r)]
    cs = [val(a, ep, r, "app_cpu_ms_per_req") for r in rounds if val(a, ep, r)]
    if xs: print(f"\nmean {a} {ep}: {sum(xs)/len(xs):.0f} req/s, {sum(cs)/len(cs):.3f} CPU ms/req (n={len(xs)})", end="")
# issue 13 summary: the figures of its table, per round, from the same run
print("\n\nIssue 13 figures (per round; ratios within the run):\n")
print("| round | protected vs floor (req/s) | CPU ms/req vs floor | GC CPU-s per window ours / floor | p99 ours / floor (ms) | open vs no starter | metrics/ours protected req/s | metrics/ours CPU ms/req | replay/open (403 captcha_replayed) |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rounds:
    g = lambda a, ep, k: val(a, ep, r, k)
    cells = [ratio(g("ours","protected","rps"), g("limit","protected","rps")),
             ratio(g("ours","protected","app_cpu_ms_per_req"), g("limit","protected","app_cpu_ms_per_req")),
             f'{g("ours","protected","app_gc_cpu_s")} / {g("limit","protected","app_gc_cpu_s")}',
             f'{g("ours","protected","p99_ms")} / {g("limit","protected","p99_ms")}',
             ratio(g("ours","open","rps"), g("c0","open","rps")),
             ratio(g("ours-metrics","protected","rps"), g("ours","protected","rps")),
             ratio(g("ours-metrics","protected","app_cpu_ms_per_req"), g("ours","protected","app_cpu_ms_per_req")),
             ratio(g("ours","replay","rps"), g("ours","open","rps"))]
    print(f"| {r} | " + " | ".join(cells) + " |")
alone = val("ours-stall", "open", "1")
for ep, f in sorted(by.items()):
    if ep[0] == "ours-stall" and ep[1].startswith("open+protected:"):
        o = (f.get("1") or {})
        print(f"\nopen route while /protected waits on a hung provider ({ep[1].split(':')[1]} connections): "
              f"{ratio(float(o['rps']) if o.get('rps') else None, alone)} of /open alone ({o.get('rps')} vs {alone} req/s)", end="")
for ep, f in sorted(by.items()):
    if ep[0] == "ours-noblock" and ep[1] in ("replay", "open"):
        pass
nr, no = val("ours-noblock", "replay", "1"), val("ours-noblock", "open", "1")
if nr and no: print(f"\nreplayed token (403 captcha_replayed, no provider call) vs /open, blocking off: {ratio(nr, no)}", end="")
print("\n\nSTATS lines:")
for s in stats: print("    " + s)
