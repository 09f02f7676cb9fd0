#!/usr/bin/env bash
# Re-makes the golden model files of model format version 1 with the release that writes format 1, so that later
# releases can prove they still load those files and predict exactly the same.
#
#   scripts/make-v1-golden.sh             writes everything to target/v1-golden/{library,cli} and compares the text
#                                         files (inputs, expected results, JSON outputs) with the committed ones
#   scripts/make-v1-golden.sh --replace   also copies the new files over nabla-core/src/test/resources/golden/v1 and
#                                         nabla-cli/src/test/resources/golden/v1 (only to add or fix golden files;
#                                         the committed files are the old release's output and stay as they are)
#
# How: a temporary `git worktree` at the hard-coded release commit below, built there with Maven (`package`, nothing
# is installed into ~/.m2); the single-file program nabla-core/src/test/resources/golden/v1/MakeV1Golden.java (kept
# as text, not compiled by Maven) runs against that build's nabla.jar for the library models and the CLI data; that
# worktree's ./nabla runs train, predict --json and evaluate --json for the CLI models; the worktree is removed at the
# end. Everything comes from fixed seeds; nothing is downloaded (Maven needs its dependencies, in ~/.m2 or online).
# Extra Maven flags (e.g. -o for offline): NABLA_MVN_FLAGS="-o" scripts/make-v1-golden.sh
#
# The .nabla files are not byte-for-byte reproducible (that release writes a loss's settings in a per-JVM hash order,
# which changes model.json and its checksum), but what they load to and predict is; the text files are reproducible
# on the same machine and kernels.
set -euo pipefail

RELEASE=429eaccb1ab03804c9f0865c59fa47be63d78a21   # the release that writes model format version 1

replace=false
case "${1:-}" in
    "") ;;
    --replace) replace=true ;;
    *) echo "usage: scripts/make-v1-golden.sh [--replace]" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
source "$root/scripts/jdk.sh"
generator="$root/nabla-core/src/test/resources/golden/v1/MakeV1Golden.java"
lib_golden="$root/nabla-core/src/test/resources/golden/v1"
cli_golden="$root/nabla-cli/src/test/resources/golden/v1"
out="$root/target/v1-golden"

git -C "$root" cat-file -e "$RELEASE^{commit}" 2>/dev/null || {
    echo "error: commit $RELEASE (the release that writes model format 1) is not in this repository" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/nabla-v1-golden.XXXXXX")"
release="$tmp/nabla-v1"
cleanup() {
    git -C "$root" worktree remove --force "$release" >/dev/null 2>&1 || true
    git -C "$root" worktree prune >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "make-v1-golden: checking out $RELEASE in $release" >&2
git -C "$root" worktree add --detach --quiet "$release" "$RELEASE"

echo "make-v1-golden: building it (mvn package)" >&2
log="$tmp/build.log"
# shellcheck disable=SC2086
if ! (cd "$release" && mvn -B -q -ntp -Dstyle.color=never ${NABLA_MVN_FLAGS:-} -DskipTests -pl nabla-cli -am package >"$log" 2>&1); then
    cat "$log" >&2
    echo "error: building $RELEASE failed" >&2
    exit 1
fi
jar="$release/nabla-cli/target/nabla.jar"
nabla="$release/nabla"
[ -f "$jar" ] && [ -x "$nabla" ] || { echo "error: the build left no $jar" >&2; exit 1; }

export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-2000}"
run_generator() {
    "$JAVA" "${NABLA_JVM_FLAGS[@]}" -Djava.awt.headless=true -cp "$jar" "$generator" "$@"
}

rm -rf "$out"
mkdir -p "$out/library" "$out/cli"

echo "make-v1-golden: library models" >&2
run_generator library "$out/library" >&2

echo "make-v1-golden: CLI data and models" >&2
run_generator cli-data "$out/cli"
cd "$out/cli"
# train: the JSON report has timings, so it is not kept; what train decided is in the model file's metadata
train() {
    local name="$1"; shift
    "$nabla" train "$@" --out "$name.nabla" --json >/dev/null 2>"$tmp/$name.train.log" || {
        cat "$tmp/$name.train.log" >&2; echo "error: nabla train for $name failed" >&2; exit 1; }
}
# predict and evaluate: the JSON line exactly as printed; inputs are relative paths, so nothing machine-dependent
outputs() {
    local name="$1" data="$2"; shift 2
    "$nabla" predict --model "$name.nabla" "$@" --json >"$name.predict.json"
    "$nabla" evaluate --model "$name.nabla" --data "$data" --json >"$name.evaluate.json"
}
train table-classifier --data iris.csv --test iris-test.csv --label species \
    --model dense:12:relu,dropout:0.1,batchnorm,dense:8:tanh --optimizer adam --lr 0.03 --epochs 5 --batch-size 16 --seed 7
outputs table-classifier iris-test.csv iris-predict.csv
train table-regression --data prices.csv --test prices-test.csv --loss mse \
    --model dense:8:gelu,layernorm,dense:8:elu --optimizer momentum --lr 0.01 --epochs 3 --batch-size 16 --seed 8
outputs table-regression prices-test.csv prices-test.csv
train table-binary --data ring.csv --test ring-test.csv --loss binary-cross-entropy \
    --model dense:8:relu,dense:8:sigmoid --optimizer adamw --lr 0.05 --epochs 5 --batch-size 16 --seed 10
outputs table-binary ring-test.csv ring-test.csv
train image-classifier --data shapes/train --test shapes/test \
    --model conv:4:3:relu:same,maxpool:2,conv:6:3,batchnorm,globalavgpool --optimizer rmsprop --lr 0.02 --epochs 3 \
    --batch-size 8 --val-split 0.25 --seed 9
outputs image-classifier shapes/test shapes/test
cd "$root"

echo "make-v1-golden: wrote $out" >&2
ls -l "$out/library" "$out/cli" >&2

# compare the reproducible text files with the committed ones
differ=0
compare() {
    local new="$1" golden="$2" f rel
    while IFS= read -r f; do
        rel="${f#"$new"/}"
        case "$rel" in *.nabla|*.png|*.java|README.md) continue ;; esac
        if [ ! -f "$golden/$rel" ]; then
            echo "  new (not committed): $golden/$rel" >&2; differ=1
        elif ! cmp -s "$f" "$golden/$rel"; then
            echo "  differs from the committed file: $golden/$rel" >&2; differ=1
        fi
    done < <(find "$new" -type f | sort)
}
compare "$out/library" "$lib_golden"
compare "$out/cli" "$cli_golden"
[ "$differ" = 0 ] && echo "make-v1-golden: the text files equal the committed ones" >&2

if $replace; then
    mkdir -p "$lib_golden" "$cli_golden"
    cp "$out/library"/* "$lib_golden/"
    rm -rf "$cli_golden/shapes"
    cp -r "$out/cli"/* "$cli_golden/"
    echo "make-v1-golden: copied into $lib_golden and $cli_golden (review with git status / git diff)" >&2
fi
