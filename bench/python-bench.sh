#!/bin/bash
# python-bench.sh [BUILD] [LOAD] [ROUNDS]: what lxkns.discover() (Python,
# python/) costs against dumpns for the same (default) options, on an nsload
# load (default M: -p 1000 -n 200 -b 8 -F 8 -S 4 -m 4). Interleaved rounds
# (default 10, after 2 warm-up rounds): dumpns as a process writing its JSON
# to /dev/null, and lxkns.discover() inside one /usr/bin/python3 (the
# discovery, the document in memory, the object model). Prints the medians
# and their ratio (target: at most 1.2). Root; nsload cleans up. Not a test.
set -euo pipefail
BUILD=$(readlink -f "${1:-build}")
LOAD=${2:-M}
ROUNDS=${3:-10}
case $LOAD in
S) NSLOAD_ARGS=(-p 200 -n 64) ;;
M) NSLOAD_ARGS=(-p 1000 -n 200 -b 8 -F 8 -S 4 -m 4) ;;
L) NSLOAD_ARGS=(-p 5000 -n 800 -b 16 -F 16 -S 8 -m 8) ;;
*) echo "python-bench: load is S, M or L" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "python-bench: needs root" >&2; exit 77; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
export LXKNS_LIBRARY=$BUILD/lib/liblxkns.so.0 PYTHONPATH=$SRC/python/src
export BENCH_DUMPNS=$BUILD/tools/dumpns BENCH_ROUNDS=$ROUNDS BENCH_LOAD=$LOAD
"$BUILD/bench/nsload" run -q "${NSLOAD_ARGS[@]}" -- /usr/bin/python3 - <<'PY'
import gc, os, statistics, subprocess, time
import lxkns
dumpns, rounds = os.environ["BENCH_DUMPNS"], int(os.environ["BENCH_ROUNDS"])
c, py = [], []
for i in range(rounds + 2):
    t = time.perf_counter()
    subprocess.run([dumpns], stdout=subprocess.DEVNULL, check=True)
    tc = time.perf_counter() - t
    t = time.perf_counter()
    d = lxkns.discover()
    tp = time.perf_counter() - t
    if i >= 2:
        c.append(tc)
        py.append(tp)
    n = (len(d.processes), sum(len(p.tasks) for p in d.processes.values()), len(d.namespaces))
    d.close()
    # freeing the model is not part of the next round's discovery
    del d
    gc.collect()
mc, mp = statistics.median(c), statistics.median(py)
print("load %s: %d processes, %d tasks, %d namespaces; %d rounds" % ((os.environ["BENCH_LOAD"],) + n + (rounds,)))
print("dumpns            median %7.1f ms" % (mc * 1000))
print("lxkns.discover()  median %7.1f ms" % (mp * 1000))
print("ratio             %.2f (target <= 1.2)" % (mp / mc))
PY
