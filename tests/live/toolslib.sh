# Shared code for the live tests of the tree and table tools (tools-*.sh),
# on top of lib.sh (sourced, not run).
#
#     source "$(dirname "${BASH_SOURCE[0]}")/toolslib.sh"
#     tools_init "$@"     # $1 dumpns, $2 helper dir, $3... the tool executables
#     render OUT lsuns -d         # runs the tool (ASCII tree, no colour) -> $WORK/OUT
#     expect_node OUT 'LABEL'     # a node with exactly this label
#     expect_child OUT 'PARENT' 'CHILD'   # CHILD is a direct child of PARENT
#     expect_prop OUT 'NODE' 'TEXT'       # TEXT is a property line of NODE
#     expect_no_node OUT 'LABEL'
#     expect_line OUT 'LINE'      # an exact output line (tables, DOT)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

declare -A TOOL

tools_init() {
    live_init "$1" "$2"
    shift 2
    local exe
    for exe in "$@"; do
        exe=$(readlink -f -- "$exe")
        TOOL[$(basename "$exe")]=$exe
    done
    export LC_ALL=C.UTF-8
}

# render OUT TOOL ARGS...: the tool must exit 0 with nothing on stderr
render() {
    local out=$1 tool=$2
    shift 2
    [ -x "${TOOL[$tool]:-}" ] || fatal "tool $tool was not passed to the test"
    local rc=0
    "${TOOL[$tool]}" --treestyle=ascii --color=never --cgroup=full "$@" >"$WORK/$out" 2>"$WORK/$out.err" || rc=$?
    # (a partial view's one line is no error: processes we cannot read here)
    sed -i '/; --diagnostics lists them$/d' "$WORK/$out.err"
    if [ $rc != 0 ] || [ -s "$WORK/$out.err" ]; then
        log "$tool $* stderr:"
        sed 's/^/    /' "$WORK/$out.err" >&2
        fatal "$tool $* exited with $rc"
    fi
    # N<TAB>depth<TAB>label for nodes, P<TAB>depth<TAB>text for properties
    awk '{
        line = $0; pre = 0
        while (substr(line, 1, 3) == "|  " || substr(line, 1, 3) == "   ") { line = substr(line, 4); pre++ }
        if (substr(line, 1, 3) == "o- ") { print "P\t" depth "\t" substr(line, 4); next }
        if (substr(line, 1, 3) == "\\_ ") { depth = pre + 1; line = substr(line, 4) } else depth = pre
        print "N\t" depth "\t" line
    }' "$WORK/$out" >"$WORK/$out.tree"
}

# the awk programs read the labels from the environment (awk -v would
# interpret backslashes)
expect_node() {
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    if ! A="$2" awk -F'\t' '$1 == "N" && $3 == ENVIRON["A"] { found = 1 } END { exit !found }' "$WORK/$1.tree"; then
        fail "$1: no node '$2'"
        dump_out "$1"
    fi
}

expect_no_node() {
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    if A="$2" awk -F'\t' '$1 == "N" && $3 == ENVIRON["A"] { found = 1 } END { exit !found }' "$WORK/$1.tree"; then
        fail "$1: unexpected node '$2'"
    fi
}

expect_child() {
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    if ! A="$2" B="$3" awk -F'\t' '
        $1 != "N" { next }
        in_parent && $2 <= pdepth { in_parent = 0 }
        in_parent && $2 == pdepth + 1 && $3 == ENVIRON["B"] { found = 1 }
        $3 == ENVIRON["A"] { in_parent = 1; pdepth = $2 }
        END { exit !found }' "$WORK/$1.tree"; then
        fail "$1: '$3' is not a child of '$2'"
        dump_out "$1"
    fi
}

expect_prop() {
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    if ! A="$2" B="$3" awk -F'\t' '
        $1 == "N" { cur = $3; next }
        $1 == "P" && cur == ENVIRON["A"] && $3 == ENVIRON["B"] { found = 1 }
        END { exit !found }' "$WORK/$1.tree"; then
        fail "$1: '$3' is not a property of '$2'"
        dump_out "$1"
    fi
}

expect_line() {
    LIVE_CHECKS=$((LIVE_CHECKS + 1))
    if ! grep -qxF -- "$2" "$WORK/$1"; then
        fail "$1: no line '$2'"
        dump_out "$1"
    fi
}

dump_out() {
    if [ -z "${TOOLS_DUMPED[$1]:-}" ]; then
        TOOLS_DUMPED[$1]=1
        log "output of $1 (first 60 lines):"
        head -60 "$WORK/$1" | sed 's/^/    /' >&2
    fi
}
declare -A TOOLS_DUMPED

# cgroup_of PID: the control group path the tools show (the v1 cpu
# controller's, else the v2 one)
cgroup_of() {
    local line v1="" v2=""
    while IFS= read -r line; do
        case $line in
        0::*) v2=${line#0::} ;;
        *:*cpu*:*)
            local ctrl=${line#*:}
            ctrl=${ctrl%%:*}
            case ",$ctrl," in *,cpu,*) v1=${line#*:*:} ;; esac
            ;;
        esac
    done <"/proc/$1/cgroup"
    echo "${v1:-$v2}"
}

# controlled PID: ' controlled by "CGROUP"' or nothing
controlled() {
    local cg
    cg=$(cgroup_of "$1")
    [ -n "$cg" ] && printf ' controlled by "%s"' "$cg"
}
