#!/bin/bash
# Live test: the mount table of a mount namespace.
#
# A sleeping process P in a private mount namespace PM holds, on a tmpfs
# "lxkns-base" at $B:
#   X        in-place overmount: lxkns-x1 (hidden), on it X/sub lxkns-x1sub
#            (hidden: below a hidden mount), then lxkns-x2 on X (visible) with
#            X/top lxkns-x2top on it (visible)
#   Y/Z      lxkns-yz (hidden by lxkns-y mounted later on Y) with Y/Z/deep
#            lxkns-yzdeep on it (hidden: below a hidden mount)
#   S        a bind mount of S onto itself (visible)
#   S2       lxkns-s2, then S2 bind-mounted onto itself: an in-place
#            overmount (the bottom one hidden)
#   Pshared  lxkns-shared, made shared; Ppeer a bind of it (same peer
#            group); Pslave a bind of it made slave (master: that group);
#            Pboth a bind made slave and then shared again (master + shared)
#            Pshared/sub: lxkns-propagated, propagated to Ppeer/sub and
#            Pslave/sub;  Pshared/tuck: lxkns-tuck, propagated to Ppeer/tuck
#            and Pslave/tuck, where lxkns-tucktop was mounted before: the
#            propagated copy is tucked beneath it (hidden)
#   U        lxkns-unbindable, made unbindable
#   "sp ace<TAB>tab\bs"  a tmpfs with the source "src with space"
#   "new<NL>line"        a tmpfs lxkns-newline
#   R        a bind mount of the directory "root dir" (root "/root dir")
#   E        a tmpfs with an empty source ("- tmpfs  rw" in mountinfo)
#   many/NN  60 more tmpfs mounts, so that the mountinfo is several pages long
#
# Ground truth is P's /proc/PID/mountinfo (decoded here, in python) and the
# kernel's own path resolution: a mount is visible exactly when opening its
# mount point through /proc/P/root lands on it (mnt_id in fdinfo).
# Asserts for PM's table in dumpns: the same set of mount IDs, each with the
# same parentid, major, minor, root, mountpoint, mountoptions, tags, fstype,
# source and superoptions, filed under its own mount point; hidden flags
# equal to the kernel's for every mount, and exactly the ones listed above
# for ours; the path tree (parentid = the nearest ancestor path with
# mounts); the propagation relations between our mounts.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
live_init "$@"

probe "mount namespaces" unshare --mount true
command -v python3 >/dev/null || fatal "python3 is not installed"

B=$WORK/t
mkdir "$B"
SPACE_NAME=$'sp ace\ttab\\bs'
NL_NAME=$'new\nline'

cat >"$WORK/build.sh" <<'EOF'
set -e
B=$1 SPACE_NAME=$2 NL_NAME=$3
mount -t tmpfs lxkns-base "$B"
cd "$B"
# in-place overmount, with mounts below the hidden and the visible one
mkdir X
mount -t tmpfs lxkns-x1 X
mkdir X/sub
mount -t tmpfs lxkns-x1sub X/sub
mount -t tmpfs lxkns-x2 X
mkdir X/top
mount -t tmpfs lxkns-x2top X/top
# hidden by a mount higher up its path
mkdir -p Y/Z
mount -t tmpfs lxkns-yz Y/Z
mkdir Y/Z/deep
mount -t tmpfs lxkns-yzdeep Y/Z/deep
mount -t tmpfs lxkns-y Y
# bind mounts onto themselves
mkdir S S2
mount --bind S S
mount -t tmpfs lxkns-s2 S2
mount --bind S2 S2
# propagation
mkdir Pshared Ppeer Pslave Pboth U
mount -t tmpfs lxkns-shared Pshared
mount --make-shared Pshared
mkdir Pshared/sub Pshared/tuck
mount --bind Pshared Ppeer
mount --bind Pshared Pslave
mount --make-slave Pslave
mount --bind Pshared Pboth
mount --make-slave Pboth
mount --make-shared Pboth
mount -t tmpfs lxkns-tucktop Pslave/tuck
mount -t tmpfs lxkns-propagated Pshared/sub
mount -t tmpfs lxkns-tuck Pshared/tuck
mount -t tmpfs lxkns-unbindable U
mount --make-unbindable U
# odd names
mkdir "$SPACE_NAME" "$NL_NAME"
mount -t tmpfs "src with space" "$SPACE_NAME"
mount -t tmpfs lxkns-newline "$NL_NAME"
mkdir -p "root dir/in side" R E
mount --bind "root dir" R
mount -t tmpfs "" E
# enough mounts for a mountinfo of several pages (a seq_file read(2) returns
# at most one page, so a short read is not the end of the file)
for i in $(seq -w 1 60); do
    mkdir -p "many/$i"
    mount -t tmpfs "lxkns-many-$i" "many/$i"
done
exec sleep infinity
EOF
unshare --mount --propagation private bash "$WORK/build.sh" "$B" "$SPACE_NAME" "$NL_NAME" \
    </dev/null >/dev/null 2>"$WORK/build.err" &
P=$!
track_pid $P
for _ in $(seq 1500); do
    [ "$(readlink "/proc/$P/exe" 2>/dev/null)" = "$SLEEP_EXE" ] && break
    [ -d "/proc/$P" ] || fatal "building the mounts failed: $(cat "$WORK/build.err")"
    sleep 0.01
done
wait_exe $P "$SLEEP_EXE"
PM=$(nsino $P mnt)
[ "$PM" != "$(nsino $$ mnt)" ] || fatal "ground truth: $P is still in our mount namespace"

# ground truth: mountinfo decoded, and the kernel's visibility
cp "/proc/$P/mountinfo" "$WORK/mountinfo"
python3 - "$WORK/mountinfo" "$P" "$WORK" <<'EOF' || fatal "reading the ground truth failed"
import json, os, re, sys

path, pid, work = sys.argv[1], sys.argv[2], sys.argv[3]
unesc = lambda b: re.sub(rb'\\([0-7]{3})', lambda m: bytes([int(m.group(1), 8) & 0xff]), b)
s = lambda b: b.decode('utf-8', 'surrogateescape')
mounts = []
for line in open(path, 'rb').read().split(b'\n'):
    if not line:
        continue
    f = line.split(b' ')
    sep = f.index(b'-', 6)
    major, minor = f[2].split(b':')
    tags = {}
    for o in f[6:sep]:
        k, _, v = o.partition(b':')
        tags[s(k)] = s(v)
    mounts.append({
        'mountid': int(f[0]), 'parentid': int(f[1]),
        'major': int(major), 'minor': int(minor),
        'root': s(unesc(f[3])), 'mountpoint': s(unesc(f[4])),
        'mountoptions': s(f[5]).split(','),
        'tags': tags,
        'fstype': s(f[sep + 1]), 'source': s(unesc(f[sep + 2])),
        'superoptions': s(f[sep + 3]) if len(f) > sep + 3 else '',
    })
mounts.sort(key=lambda m: m['mountid'])

def mnt_id_at(mp):
    """The mount the kernel resolves mp to in P's mount namespace."""
    try:
        fd = os.open('/proc/%s/root%s' % (pid, mp), os.O_PATH | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        for l in open('/proc/self/fdinfo/%d' % fd):
            if l.startswith('mnt_id:'):
                return int(l.split()[1])
    finally:
        os.close(fd)
    return None

hidden = {str(m['mountid']): mnt_id_at(m['mountpoint']) != m['mountid'] for m in mounts}
# the path tree: each path's nearest ancestor directory that has mounts
paths = sorted({m['mountpoint'] for m in mounts})
pset = set(paths)
def parent_path(p):
    while p != '/':
        p = p.rsplit('/', 1)[0] or '/'
        if p in pset:
            return p
    return None
json.dump(mounts, open(work + '/truth-mounts.json', 'w'))
json.dump(hidden, open(work + '/truth-hidden.json', 'w'))
json.dump({p: parent_path(p) for p in paths}, open(work + '/truth-paths.json', 'w'))
EOF
NTRUTH=$(jq length "$WORK/truth-mounts.json")
[ "$NTRUTH" -gt 85 ] && [ "$(wc -c <"$WORK/mountinfo")" -gt 8192 ] || fatal "ground truth: only $NTRUTH mounts in $P's mountinfo"
grep -q 'src\\040with\\040space' "$WORK/mountinfo" && grep -q 'sp\\040ace\\011tab\\134bs' "$WORK/mountinfo" &&
    grep -q 'new\\012line' "$WORK/mountinfo" || fatal "ground truth: escaped names not in mountinfo as expected"
log "PM $PM of $P with $NTRUTH mounts, ours below $B"

run_dumpns
expect_wire_format

expect "PM: as many mounts as lines in its mountinfo ($(wc -c <"$WORK/mountinfo") bytes)" "$NTRUTH" \
    '[.mounts[$ns][].mounts[]] | length' --arg ns "$PM"
# every mount, all fields but "hidden" (sorted by mount ID)
expect "PM: all mounts, field by field (without hidden)" "$(cat "$WORK/truth-mounts.json")" \
    '[.mounts[$ns][].mounts[] | del(.hidden)] | sort_by(.mountid)' --arg ns "$PM"
expect "PM: every mount is filed under its own mount point" '[]' \
    '[.mounts[$ns] | to_entries[] | .key as $p | .value.mounts[] | select(.mountpoint != $p) | .mountid]' --arg ns "$PM"
expect "PM: hidden flags equal the kernel's path resolution" "$(cat "$WORK/truth-hidden.json")" \
    '[.mounts[$ns][].mounts[] | {key: (.mountid | tostring), value: .hidden}] | from_entries' --arg ns "$PM"
# the path tree: the parent is the nearest ancestor path with mounts
expect "PM: path tree (nearest ancestor path with mounts)" "$(cat "$WORK/truth-paths.json")" \
    '.mounts[$ns] | (to_entries | map({key: (.value.pathid | tostring), value: .key}) | from_entries) as $byid
     | with_entries(.value = (if .value.parentid == 0 then null else $byid[.value.parentid | tostring] end))' --arg ns "$PM"
expect "PM: path ids are 1..n, unique" true \
    '[.mounts[$ns][].pathid] | sort == [range(1; length + 1)]' --arg ns "$PM"

# our mounts: source/hidden per mount point, in the order dumpns lists them
# (a stack at one path: bottom first)
OURS='.mounts[$ns][$b + $p].mounts | map("\(.source)|\(.hidden)")'
ck() { # ck PATH-BELOW-B EXPECTED-JSON
    expect "PM: mounts at \$B$1 (source|hidden, bottom first)" "$2" "$OURS" --arg ns "$PM" --arg b "$B" --arg p "$1"
}
ck "" '["lxkns-base|false"]'
ck /X '["lxkns-x1|true","lxkns-x2|false"]'
ck /X/sub '["lxkns-x1sub|true"]'
ck /X/top '["lxkns-x2top|false"]'
ck /Y '["lxkns-y|false"]'
ck /Y/Z '["lxkns-yz|true"]'
ck /Y/Z/deep '["lxkns-yzdeep|true"]'
ck /S '["lxkns-base|false"]'
ck /S2 '["lxkns-s2|true","lxkns-s2|false"]'
ck /Pshared '["lxkns-shared|false"]'
ck /Ppeer '["lxkns-shared|false"]'
ck /Pslave '["lxkns-shared|false"]'
ck /Pboth '["lxkns-shared|false"]'
ck /Pshared/sub '["lxkns-propagated|false"]'
ck /Ppeer/sub '["lxkns-propagated|false"]'
ck /Pslave/sub '["lxkns-propagated|false"]'
ck /Pshared/tuck '["lxkns-tuck|false"]'
ck /Ppeer/tuck '["lxkns-tuck|false"]'
ck /Pslave/tuck '["lxkns-tuck|true","lxkns-tucktop|false"]'
ck /U '["lxkns-unbindable|false"]'
ck "/$SPACE_NAME" '["src with space|false"]'
ck "/$NL_NAME" '["lxkns-newline|false"]'
ck /R '["lxkns-base|false"]'
ck /E '["|false"]'
expect "PM: the empty source and the super options after it" '[{"source":"","superoptions":"rw"}]' \
    '.mounts[$ns][$b + "/E"].mounts | map({source, superoptions})' --arg ns "$PM" --arg b "$B"
ck /many/60 '["lxkns-many-60|false"]'
expect "PM: root of the bind mount of \"root dir\"" '["/root dir"]' \
    '[.mounts[$ns][$b + "/R"].mounts[].root]' --arg ns "$PM" --arg b "$B"
expect "PM: the self-bind of S has root /S" '["/S"]' \
    '[.mounts[$ns][$b + "/S"].mounts[].root]' --arg ns "$PM" --arg b "$B"
expect "PM: the top of S2 sits on the bottom one" true \
    '.mounts[$ns][$b + "/S2"].mounts | (.[1].parentid == .[0].mountid) and (.[0].parentid != .[0].mountid)' \
    --arg ns "$PM" --arg b "$B"
expect "PM: the tucked copy at Pslave/tuck sits on Pslave, the older top on it" true \
    '.mounts[$ns] as $t | $t[$b + "/Pslave/tuck"].mounts as $m
     | ($m | map(select(.source == "lxkns-tuck")) | .[0]) as $copy
     | ($m | map(select(.source == "lxkns-tucktop")) | .[0]) as $top
     | ($copy.parentid == $t[$b + "/Pslave"].mounts[0].mountid) and ($top.parentid == $copy.mountid)
       and ($top.mountid < $copy.mountid)' \
    --arg ns "$PM" --arg b "$B"

# propagation tags and how they relate
T='.mounts[$ns][$b + $p].mounts[0].tags'
tags() { jq -c "$T" --arg ns "$PM" --arg b "$B" --arg p "$1" "$DUMP"; }
expect "PM: Pshared tag keys" '["shared"]' "$T | keys" --arg ns "$PM" --arg b "$B" --arg p /Pshared
G=$(jq -r "$T.shared // \"none\"" --arg ns "$PM" --arg b "$B" --arg p /Pshared "$DUMP")
expect "PM: Ppeer is a peer of Pshared" "{\"shared\":\"$G\"}" "$T" --arg ns "$PM" --arg b "$B" --arg p /Ppeer
expect "PM: Pslave is a slave of Pshared's group" "{\"master\":\"$G\"}" "$T" --arg ns "$PM" --arg b "$B" --arg p /Pslave
expect_true "PM: Pboth is shared (new group) and a slave of Pshared's group" \
    "$T | (keys == [\"master\",\"shared\"]) and .master == \"$G\" and .shared != \"$G\"" \
    --arg ns "$PM" --arg b "$B" --arg p /Pboth
expect "PM: U is unbindable" '{"unbindable":""}' "$T" --arg ns "$PM" --arg b "$B" --arg p /U
expect "PM: the base tmpfs is private" '{}' "$T" --arg ns "$PM" --arg b "$B" --arg p ""
SUB=$(jq -r "$T.shared // \"none\"" --arg ns "$PM" --arg b "$B" --arg p /Pshared/sub "$DUMP")
expect "PM: Ppeer/sub is a peer of Pshared/sub" "{\"shared\":\"$SUB\"}" "$T" --arg ns "$PM" --arg b "$B" --arg p /Ppeer/sub
expect "PM: Pslave/sub is a slave of Pshared/sub" "{\"master\":\"$SUB\"}" "$T" --arg ns "$PM" --arg b "$B" --arg p /Pslave/sub
log "tags: Pshared $(tags /Pshared) Pboth $(tags /Pboth) Pshared/sub $(tags /Pshared/sub)"

# A copy of PM (a mount namespace cloned from it, propagation unchanged):
# the same mounts with other IDs (and tags: the copy of U is not
# unbindable). dumpns writes the copy's mounts from what
# it rendered for PM's (equal mounts share their strings); the document
# read back has no shared strings and is written in full, so writing it
# again must give the same bytes, compact and indented.
nsenter -t $P -m unshare --mount --propagation unchanged "$SLEEP_EXE" infinity \
    </dev/null >/dev/null 2>"$WORK/copy.err" &
P2=$!
track_pid $P2
wait_exe $P2 "$SLEEP_EXE"
PM2=$(nsino $P2 mnt)
[ "$PM2" != "$PM" ] || fatal "ground truth: the copy is still in PM"
run_dumpns
expect_true "PM2: the same mounts as PM but for their IDs and tags" \
    '. as $d | [$a, $b] | map($d.mounts[.] | map_values(.mounts | map(del(.mountid, .parentid, .tags))))
     | (.[0] == .[1]) and (.[0] | length) > 60' \
    --arg a "$PM" --arg b "$PM2"
expect_true "PM2: its own mount IDs" \
    '(.mounts[$a] | [.[].mounts[].mountid]) - (.mounts[$b] | [.[].mounts[].mountid]) | length > 60' \
    --arg a "$PM" --arg b "$PM2"
"$DUMPNS" -c --input "$DUMP" >"$WORK/again.json" 2>&1 || fail "dumpns --input: $(head -c 300 "$WORK/again.json")"
cmp -s "$DUMP" "$WORK/again.json" || fail "compact: written again from the document, the bytes differ"
"$DUMPNS" >"$WORK/indented.json" 2>/dev/null || fail "dumpns (indented) failed"
"$DUMPNS" --input "$WORK/indented.json" >"$WORK/indented-again.json" 2>&1 || fail "dumpns --input (indented) failed"
cmp -s "$WORK/indented.json" "$WORK/indented-again.json" ||
    fail "indented: written again from the document, the bytes differ"

finish
