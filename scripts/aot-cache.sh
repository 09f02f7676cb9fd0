# Sourced by ./nabla and bench/run once JAVA and NABLA_JAVA_MAJOR are set (scripts/jdk.sh): a JDK 25+ AOT cache (JEPs 483, 514 and 515: the classes
# Nabla loads, already parsed and linked, and method profiles that let the JIT compile hot code sooner), recorded
# once from a one-epoch demo into a user cache folder and used by every later run.
#
# A cache works only with the JDK build and the class path (each jar's size and time) that recorded it; the JVM checks
# this itself and runs without the cache when it does not match. The file is named after the class path and the JDK
# build, and recorded again when any jar on the class path is newer than it, so a rebuilt jar or another JDK gets a
# cache of its own instead of a useless one. JDKs before 25 do without (they do not know the options).
#
# Off unless NABLA_AOT=1: measured on bench/run mlp (two alternating pairs, quiet machine), runs from the cache
# trained 20% slower after the first epoch (median epochs 0.847 and 0.680 s against 0.709 and 0.562 s without), and
# the first epoch gained nothing; presumably the demo's profiles steer the JIT's early compilations wrong for other
# models. It does shorten start-up (nabla predict on one image: 2.83 CPU-s with it and the preload, 3.53 without).
# NABLA_AOT_DIR is the folder (default ${XDG_CACHE_HOME:-~/.cache}/nabla/aot).

nabla_aot_enabled() {
    [ "${NABLA_AOT:-0}" = 1 ] && [ "${NABLA_JAVA_MAJOR:-0}" -ge 25 ] 2>/dev/null
}

nabla_aot_dir() {
    echo "${NABLA_AOT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nabla/aot}"
}

# $1: the class path (entries separated by ':'). The cache file for it and this JDK build.
nabla_aot_file() {
    local version key
    version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\([^"]*\)".*/\1/p' "$(dirname "$(dirname "$JAVA")")/release" 2>/dev/null || true)
    [ -n "$version" ] || version="$NABLA_JAVA_MAJOR"
    key=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
    echo "$(nabla_aot_dir)/nabla-$key-jdk${version//[^A-Za-z0-9._-]/_}.aot"
}

# $1: a file, $2: a class path. Whether the file is newer than every entry of the class path.
nabla_aot_newer_than_all() {
    local file=$1 entry entries
    [ -f "$file" ] || return 1
    IFS=: read -r -a entries <<< "$2"
    for entry in ${entries[@]+"${entries[@]}"}; do
        [ -e "$entry" ] && [ ! "$file" -nt "$entry" ] && return 1
    done
    return 0
}

# $1: a scratch folder. The command line the recording runs after the class path and main class: a one-epoch demo,
# which loads, trains, evaluates, saves, plots and predicts, the paths most commands take.
nabla_aot_training_args() {
    NABLA_AOT_TRAINING=(demo --epochs 1 --out "$1/model.nabla" --plot "$1/plot.png")
}

# $1: the cache file to write; the rest: the JVM options and the launch (-jar JAR, or -cp CP MAIN) of the runs that
# will use it. Records it (the training run, then the JVM writes the cache as it exits). On failure there is no
# cache, and a .failed file with the output says why; it stops the next runs from trying again for these jars.
nabla_aot_record() {
    local aot=$1 tmp
    shift
    mkdir -p "$(dirname "$aot")" 2>/dev/null && [ -w "$(dirname "$aot")" ] || return 1
    tmp=$(mktemp -d 2>/dev/null) || return 1
    nabla_aot_training_args "$tmp"
    echo "nabla: recording start-up data for this JDK and build (once per build and JDK, ~15 s; only with NABLA_AOT=1)..." >&2
    if "$JAVA" -XX:AOTCacheOutput="$tmp/nabla.aot" -Xlog:aot*=off -Xlog:cds*=off -Djava.awt.headless=true \
            -Dnabla.progress=lines "$@" "${NABLA_AOT_TRAINING[@]}" </dev/null >"$tmp/log" 2>&1 && [ -s "$tmp/nabla.aot" ]; then
        # a rename within one folder: a concurrent run sees the old cache or the new one, never half of one
        mv -f "$tmp/nabla.aot" "$aot.part.$$" && mv -f "$aot.part.$$" "$aot"
        rm -f "$aot.failed"
        rm -rf "$tmp"
        return 0
    fi
    # a stale cache left in place would be passed to every run
    rm -f "$aot"
    mv -f "$tmp/log" "$aot.failed" 2>/dev/null || touch "$aot.failed"
    rm -rf "$tmp"
    return 1
}

# $1: the class path the run uses; the rest: its JVM options and launch, as for nabla_aot_record. Sets
# NABLA_AOT_FLAGS to the options that use the cache, recording it first where there is none for this class path and
# JDK (or it is older than a jar on the class path). The JVM's own messages about the cache are off: a cache it
# refuses (a JDK updated in place, other options) must not print anything, least of all on stdout.
nabla_aot_prepare() {
    NABLA_AOT_FLAGS=()
    nabla_aot_enabled || return 0
    local classpath=$1 aot
    shift
    aot=$(nabla_aot_file "$classpath")
    if ! nabla_aot_newer_than_all "$aot" "$classpath"; then
        nabla_aot_newer_than_all "$aot.failed" "$classpath" && return 0
        nabla_aot_record "$aot" "$@" || return 0
    fi
    NABLA_AOT_FLAGS=(-XX:AOTCache="$aot" -Xlog:aot*=off -Xlog:cds*=off)
}
