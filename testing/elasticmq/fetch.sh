#!/usr/bin/env bash
# Fetches the ElasticMQ server jars listed in pom.xml, once per pom content, and prints the
# directory holding them (the value for QUASAR_ELASTICMQ_LIB). The cache lives outside the
# repository:
#   ${QUASAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quasar}/elasticmq/<sha256 of pom>/lib
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/pom.xml"
hash="$(sha256sum "$pom" | cut -c1-16)"
cache_root="${QUASAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quasar}"
target="$cache_root/elasticmq/$hash"
lib="$target/lib"

# The jars are moved into place only once complete, so an interrupted fetch is never mistaken
# for a cached one.
if [[ -f "$target/complete" ]]; then
  echo "$lib"
  exit 0
fi

command -v mvn >/dev/null || { echo "fetch.sh: Maven (mvn) is required to fetch ElasticMQ" >&2; exit 1; }
command -v java >/dev/null || { echo "fetch.sh: Java is required to run ElasticMQ" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$pom" "$work/pom.xml"
echo "fetch.sh: fetching the ElasticMQ jars with Maven (cached at $target)" >&2
(cd "$work" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=lib) 2>&1 |
  sed 's/\x1b\[[0-9;]*m//g' >&2
ls "$work"/lib/elasticmq-server_*.jar >/dev/null

mkdir -p "$target"
rm -rf "$lib"
mv "$work/lib" "$lib"
touch "$target/complete"
echo "$lib"
