#!/bin/bash
# tools-overhead.sh [BUILD] [P]: what rendering adds to the discovery for
# lsuns, lspidns, pidtree and lsallns, on an nsload load of P processes
# (default 5000, with 800 namespaces). Each tool's hidden --timing prints its
# discovery and output times; median of 5 runs each. Root; nsload cleans up.
set -euo pipefail
BUILD=$(readlink -f "${1:-build}")
P=${2:-5000}
[ "$(id -u)" = 0 ] || { echo "tools-overhead: needs root" >&2; exit 77; }
inner=$(mktemp /tmp/lxkns-tools-overhead.XXXXXX)
trap 'rm -f "$inner"' EXIT
cat >"$inner" <<INNER
for t in lsuns lspidns pidtree lsallns; do
	for _ in 1 2 3 4 5; do
		"$BUILD/tools/\$t" --timing --color=never 2>&1 >/dev/null | grep "discovery"
	done >"$inner.\$t"
	d=\$(awk '{ print \$3 }' "$inner.\$t" | sort -n | sed -n 3p)
	o=\$(awk '{ print \$6 }' "$inner.\$t" | sort -n | sed -n 3p)
	rm -f "$inner.\$t"
	awk -v t=\$t -v d="\$d" -v o="\$o" 'BEGIN { printf "%-8s discovery %8.1f ms  output %7.1f ms  = %5.1f %%\\n", t, d, o, 100 * o / d }'
done
INNER
"$BUILD/bench/nsload" run -p "$P" -n 800 -- bash "$inner" 2>/dev/null
