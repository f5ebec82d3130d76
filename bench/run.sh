#!/usr/bin/env bash
# Runs the benchmarks: all of them, or those named (search, ingest). Prints a table per benchmark and writes
# bench/results/<name>.json. Benchmarks measure; nothing here passes or fails on a number.
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"

if ! /usr/bin/python3 -c 'import optuna' 2>/dev/null; then
	echo "Installing Debian's python3-optuna for the search baseline"
	apt-get update -qq && apt-get install -y -qq python3-optuna >/dev/null
fi

offline="${BENCH_MAVEN_OFFLINE:--o}"
# The benchmark depends on the project's jars, so install them first (tests are the reactor's business).
(cd "$root" && ./mvnw -q -B $offline install -DskipTests)
(cd "$bench" && "$root/mvnw" -q -B $offline package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)

exec java -Xmx4g -Dbench.dir="$bench" -cp "$bench/target/classes:$(cat "$bench/target/classpath.txt")" \
	dev.nightshift.bench.Bench "$@"
