#!/bin/bash
# Source checks that keep the code in shape (CODING_STYLE.md):
#   check-source.sh format [FILE...]   clang-format --dry-run --Werror on all C code
#   check-source.sh fix [FILE...]      the same, but rewrites the files in place
#   check-source.sh cppcheck BUILDDIR  cppcheck over BUILDDIR's compile_commands.json,
#                                      0 findings (inline suppressions need a reason)
# Exits 1 on a finding, 2 on bad usage or a missing tool.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

c_files() { # every C source and header of ours (not web/node_modules, not build dirs)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -- '*.c' '*.h'
	else
		find . -path ./web -prune -o -path './build*' -prune -o \
			\( -name '*.c' -o -name '*.h' \) -type f -print | sed 's|^\./||' | sort
	fi
}

need() {
	command -v "$1" >/dev/null || { echo "check-source: $1 is not installed (scripts/install-deps.sh)" >&2; exit 2; }
}

mode=${1:-}
shift || true
case $mode in
format | fix)
	need clang-format
	if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(c_files); fi
	if [ "$mode" = fix ]; then
		clang-format -i --style=file "${files[@]}"
		exit 0
	fi
	out=$(clang-format --dry-run --Werror --style=file "${files[@]}" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		printf '%s\n' "$out" | grep -E '^[^ ].*: (error|warning):' | head -50
		n=$(printf '%s\n' "$out" | grep -cE ': (error|warning):')
		echo "check-source: $n places are not formatted as .clang-format says; run scripts/check-source.sh fix"
		exit 1
	fi
	echo "check-source: ${#files[@]} files formatted as .clang-format says"
	;;
cppcheck)
	need cppcheck
	build=${1:-}
	[ -n "$build" ] && [ -f "$build/compile_commands.json" ] ||
		{ echo "usage: check-source.sh cppcheck BUILDDIR (with compile_commands.json)" >&2; exit 2; }
	build=$(cd "$build" && pwd)
	# warning, style, performance and portability; "information" (missing
	# system headers) is noise. Generated sources in the build tree are not ours.
	# variableScope is off: declaring a function's variables at its top is
	# our style (CODING_STYLE.md), not a defect.
	out=$(cppcheck --project="$build/compile_commands.json" \
		--enable=warning,style,performance,portability --inline-suppr \
		--suppress="*:$build/*" --suppress=missingIncludeSystem --suppress=variableScope \
		--error-exitcode=1 --quiet -j2 \
		--template='{file}:{line}: {severity} {id}: {message}' 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		printf '%s\n' "$out"
		echo "check-source: cppcheck has $(printf '%s\n' "$out" | grep -c ': ') findings"
		exit 1
	fi
	echo "check-source: cppcheck has 0 findings"
	;;
*)
	echo "usage: check-source.sh format|fix [FILE...] | cppcheck BUILDDIR" >&2
	exit 2
	;;
esac
