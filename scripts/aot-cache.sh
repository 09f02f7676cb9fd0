# Sourced by ./nabla after scripts/jdk.sh: a JDK 25+ AOT cache beside the runnable jar (JEPs 483, 514 and 515: the
# classes Nabla loads, already parsed and linked, and method profiles that let the JIT compile hot code sooner),
# recorded from a one-epoch demo right after the launcher builds the jar. A JVM uses it only with the JDK and jar
# that made it, and runs as before without it; older JDKs do without. NABLA_AOT=0 turns it off.

nabla_aot_file() {
    echo "${1%.jar}.aot"
}

# $1: the jar just built. Records and writes the cache; on any failure there is simply none.
nabla_aot_create() {
    [ "${NABLA_AOT:-1}" != 0 ] && [ "$NABLA_JAVA_MAJOR" -ge 25 ] || return 0
    local jar=$1 aot tmp
    aot=$(nabla_aot_file "$jar")
    rm -f "$aot"
    tmp=$(mktemp -d)
    echo "nabla: recording start-up data for this JDK (a one-epoch demo, once per build; NABLA_AOT=0 skips it)..." >&2
    if "$JAVA" "${NABLA_JVM_FLAGS[@]}" -XX:AOTCacheOutput="$tmp/nabla.aot" -Xlog:aot=off -Xlog:cds=off \
            -Djava.awt.headless=true -Dnabla.progress=lines -jar "$jar" demo --epochs 1 --out "$tmp/model.nabla" \
            --plot "$tmp/plot.png" >"$tmp/log" 2>&1 && [ -s "$tmp/nabla.aot" ]; then
        mv -f "$tmp/nabla.aot" "$aot.part" && mv -f "$aot.part" "$aot"
    fi
    rm -rf "$tmp"
}

# $1: the jar about to run. Sets NABLA_AOT_FLAGS: the cache's options where there is one newer than the jar. Its
# messages are off: a cache the JVM cannot use (another JDK build, other heap options) must not print on stdout.
nabla_aot_flags() {
    NABLA_AOT_FLAGS=()
    local aot
    aot=$(nabla_aot_file "$1")
    if [ "${NABLA_AOT:-1}" != 0 ] && [ "$NABLA_JAVA_MAJOR" -ge 25 ] && [ -f "$aot" ] && [ "$aot" -nt "$1" ]; then
        NABLA_AOT_FLAGS=(-XX:AOTCache="$aot" -Xlog:aot=off -Xlog:cds=off)
    fi
}
