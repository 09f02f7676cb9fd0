#!/usr/bin/env bash
# Runs Repro.java RUNS times in each of three settings and counts the runs that did not end cleanly:
#   profile      JFR's profile settings (execution samples every 10-20 ms)
#   no-samples   the same, jdk.ExecutionSample off
#   no-jfr       no recording
# Usage: integration/jfr-onednn-crash/run.sh [RUNS] [SECONDS]   (defaults 4 and 20). Needs `mvn package` of the
# project once (for the class path) and a JDK 22+ (scripts/jdk.sh finds one). Crash logs stay in a temp folder.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/jdk.sh"
runs=${1:-4}
seconds=${2:-20}
cp_file=$(mktemp)
work=$(mktemp -d)
trap 'rm -f "$cp_file"' EXIT
(cd "$root" && mvn -B -q -ntp -o -pl nabla-core dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeGroupIds=org.bytedeco) || exit 1
cp=$(<"$cp_file")
"$JAVA" -version 2>&1 | head -1
echo "logs in $work"
for setting in profile no-samples no-jfr; do
    case $setting in
        profile) jfr=(-XX:StartFlightRecording=settings=profile,filename=$work/rec.jfr) ;;
        no-samples) jfr=(-XX:StartFlightRecording=settings=profile,filename=$work/rec.jfr,jdk.ExecutionSample#enabled=false) ;;
        no-jfr) jfr=() ;;
    esac
    failed=0
    for ((r = 1; r <= runs; r++)); do
        log=$work/$setting-$r.log
        (cd "$work" && OMP_NUM_THREADS=1 "$JAVA" -XX:+UseSerialGC -Xmx256m ${jfr[@]+"${jfr[@]}"} --enable-native-access=ALL-UNNAMED \
            -cp "$cp" "$here/Repro.java" "$seconds") >"$log" 2>&1
        status=$?
        grep -q '^done:' "$log" && ((status == 0)) || { failed=$((failed + 1)); echo "  $setting run $r: exit $status: $(grep -m1 -E 'SIGSEGV|corrupted|free\(\)|malloc|Problematic' "$log")"; }
    done
    echo "$setting: $failed of $runs runs failed"
done
