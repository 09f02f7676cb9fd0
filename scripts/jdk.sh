# Sourced by ./nabla, ./run-tests and bench/run: finds a JDK >= 21 and sets JAVA_HOME, JAVA and MAVEN_OPTS.
# Order: $JAVA_HOME, the java on PATH, then the usual JDK folders (newest first).

# The JDK's release file names its version; asking the JVM costs a JVM start (a few hundred ms of CPU on every
# command), so that is only the fallback for a JDK without one.
nabla_java_major() {
    local version=""
    [ -f "$1/release" ] && version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*/\1/p' "$1/release" 2>/dev/null || true)
    if [ -n "$version" ]; then
        version=${version#1.}
        echo "${version%%.*}"
        return 0
    fi
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
        awk -F'= ' '/java.specification.version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'
}

nabla_find_jdk() {
    local candidates=() dir java_on_path
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if java_on_path=$(command -v java 2>/dev/null); then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$java_on_path")")")")
    fi
    for dir in $(ls -d /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* 2>/dev/null | sort -rV); do
        candidates+=("$dir")
    done
    for dir in "${candidates[@]}"; do
        [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
        local major
        major=$(nabla_java_major "$dir")
        if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if ! NABLA_JDK=$(nabla_find_jdk); then
    echo "error: Nabla needs a JDK 21 or newer; none found in JAVA_HOME, on PATH or in /usr/lib/jvm (install e.g. openjdk-21-jdk)" >&2
    exit 2
fi
export JAVA_HOME="$NABLA_JDK"
JAVA="$JAVA_HOME/bin/java"
NABLA_JAVA_MAJOR=$(nabla_java_major "$JAVA_HOME")
# Maven itself still uses sun.misc.Unsafe, which JDK 24+ warns about on every build
if [ "$NABLA_JAVA_MAJOR" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
# the native kernels are loaded through JNI, which newer JDKs want enabled explicitly
NABLA_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED)
if ! command -v mvn >/dev/null 2>&1; then
    echo "error: Maven (mvn) is needed to build Nabla; install it (e.g. apt-get install maven)" >&2
    exit 2
fi
