# Sourced by compare-llamacpp.sh and compare-pytorch.sh: what the two comparisons do alike.
# Expects `here` (Benchmarks/) and `root` (the package) to be set.

# parse_options USAGE_LINES "$@": sets `threads prompt gen rounds` (defaults 2 64 32 3) and `types`
# (the remaining arguments); -h or a bad option prints lines USAGE_LINES of the calling script.
parse_options() {
    local usage="$1" opt
    shift
    threads=2 prompt=64 gen=32 rounds=3
    OPTIND=1
    while getopts "t:p:n:r:h" opt; do
        case "$opt" in
            t) threads="$OPTARG" ;;
            p) prompt="$OPTARG" ;;
            n) gen="$OPTARG" ;;
            r) rounds="$OPTARG" ;;
            *) sed -n "${usage}p" "$0"; exit 2 ;;
        esac
    done
    shift $((OPTIND - 1))
    types=("$@")
}

# One comparison at a time: two would share the cores, and the second would rewrite the models.
take_lock() {
    exec 9>"$here/.compare.lock"
    if ! flock -n 9; then
        echo "another comparison is running; waiting for it" >&2
        flock 9
    fi
}

# Builds `smol` (release) unless SMOL names a binary already.
build_smol() {
    if [[ -z "${SMOL:-}" ]]; then
        (cd "$root" && swift build -c release --product smol >&2)
        SMOL="$root/.build/release/smol"
    fi
}

# Sets `out` to a fresh results/TIMESTAMP directory (and makes models/).
new_results_dir() {
    mkdir -p "$here/models"
    out="$here/results/$(date +%Y%m%d-%H%M%S)"
    mkdir -p "$out"
}

# run_rounds TYPE MODEL TAG COMMAND...: `smol bench MODEL` and `COMMAND MODEL` alternately, one
# repetition each per round (so background load hits both alike), JSON into
# $out/TYPE-smolscope-N.json and $out/TYPE-TAG-N.json.
run_rounds() {
    local type="$1" model="$2" tag="$3" round
    shift 3
    for round in $(seq 1 "$rounds"); do
        echo "== $type round $round/$rounds: SmolScope" >&2
        "$SMOL" bench "$model" -p "$prompt" -n "$gen" -t "$threads" -r 1 --json --probe \
            > "$out/$type-smolscope-$round.json"
        echo "== $type round $round/$rounds: $tag" >&2
        "$@" "$model" -p "$prompt" -n "$gen" -t "$threads" -r 1 --json --quiet > "$out/$type-$tag-$round.json"
    done
}
