#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Bash completion (data/bash-completion/lxkns) for every command: it loads
# and registers every command given, each command's "--" completion offers
# exactly the long options of its --help, and the values of some options and
# arguments are completed (lsmnt's columns, PIDs, this shell's namespaces,
# nsrun's command after --, the service's log levels). TAP output.
#   completion.sh SRCROOT EXE...
set -uo pipefail
src=$1
shift
comp=$src/../data/bash-completion/lxkns
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }

# complete WORD... (the last one is completed), prints COMPREPLY sorted
complete_words() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lxkns "$1"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@" 2>/dev/null | sed '/^$/d' | sort -u
}

names=()
for exe in "$@"; do names+=("${exe##*/}"); done
if bash -n "$comp" && bash -c 'source "$1"; shift; for c; do complete -p "$c" | grep -q " -F _lxkns " || exit 1; done' \
	_ "$comp" "${names[@]}" >/dev/null 2>&1; then
	ok "the completion loads and registers ${names[*]}"
else
	bad "the completion loads and registers ${names[*]}"
fi

for exe in "$@"; do
	name=${exe##*/}
	want=$("$exe" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
	got=$(complete_words "$name" -- | sed 's/=$//' | grep -vx -- -- | sort -u)
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		ok "$name: -- completes exactly the long options of --help ($(echo "$want" | wc -l))"
	else
		bad "$name: -- completes exactly the long options of --help"
		diff <(echo "$want") <(echo "$got") | sed 's/^/# /'
	fi
done

has() { # what, want, words...: the completion of words offers want
	local what=$1 want=$2
	shift 2
	if complete_words "$@" | grep -qxF -- "$want"; then ok "$what"; else
		bad "$what: '$want' not in '$(complete_words "$@" | tr '\n' ' ')'"; fi
}
pid=$$
mntns=$(readlink /proc/$$/ns/mnt)
netns=$(readlink /proc/$$/ns/net)
for name in "${names[@]}"; do
	case $name in
	lsmnt)
		has "lsmnt -o completes columns" PROPAGATION lsmnt -o PROP
		has "lsmnt -o completes the last of a list" TARGET,SOURCE lsmnt -o TARGET,SOU
		has "lsmnt -o +LIST" +HIDDEN lsmnt -o +HID
		has "lsmnt -p completes PIDs" "$pid" lsmnt -p "$pid"
		has "lsmnt completes this shell's mount namespace" "$mntns" lsmnt "${mntns%%[*}"
		;;
	nsrun)
		has "nsrun -t completes PIDs" "$pid" nsrun -t "$pid"
		has "nsrun completes this shell's namespaces" "$netns" nsrun net
		has "nsrun offers -- after a namespace" -- nsrun "$netns" -
		has "nsrun completes the command after --" bash nsrun "$netns" -- bas
		got=$(complete_words nsrun "$netns" --verb)
		[ -z "$got" ] && ok "nsrun: no options after the first namespace" ||
			bad "nsrun: no options after the first namespace: '$got'"
		;;
	lxkns)
		has "lxkns --log-level completes levels" debug lxkns --log-level d
		has "lxkns -l completes levels" warn lxkns -l w
		got=$(complete_words lxkns --http "")
		[ -z "$got" ] && ok "lxkns --http takes an address (no completion)" ||
			bad "lxkns --http takes an address: '$got'"
		;;
	esac
done
echo "1..$n"
exit $fail
