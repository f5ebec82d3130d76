#!/usr/bin/env bash
# Runs the benchmarks: all of them, or those named (search, ingest, duty, history, pruning, research). Prints a table per benchmark and writes
# bench/results/<name>.json. Benchmarks measure; nothing here passes or fails on a number.
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"

if ! /usr/bin/python3 -c 'import optuna' 2>/dev/null; then
	echo "Installing Debian's python3-optuna for the search baseline"
	apt-get update -qq && apt-get install -y -qq python3-optuna >/dev/null
fi

# Offline first (what the build needs is usually in the local repository already); on a machine that lacks a
# plugin or a dependency, once more with the registry. BENCH_MAVEN_OFFLINE= (empty) goes to the registry at once.
offline="${BENCH_MAVEN_OFFLINE--o}"
maven() {
	"$root/mvnw" -q -B $offline "$@" || { [ -n "$offline" ] && "$root/mvnw" -q -B "$@"; }
}
# The benchmarks use the project's jars and start the server's Boot jar, so build and install everything
# first (tests are the reactor's business; `./mvnw verify` runs each benchmark small as a test).
(cd "$root" && maven install -DskipTests)
(cd "$bench" && maven dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt)

exec java -Xmx4g ${BENCH_JAVA_OPTS:-} -Dbench.dir="$bench" -Dnightshift.jar="$root/web/target/nightshift.jar" \
	-cp "$bench/target/classes:$(cat "$bench/target/classpath.txt")" \
	dev.nightshift.bench.Bench "$@"
