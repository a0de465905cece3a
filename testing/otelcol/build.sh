#!/usr/bin/env bash
# Builds the OpenTelemetry Collector described by manifest.yaml, once per manifest content.
# Prints the path of the binary on stdout. The cache lives outside the repository:
#   ${QUASAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quasar}/otelcol/<sha256 of manifest>/otelcol
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
manifest="$here/manifest.yaml"
builder_version="v0.165.0"
hash="$( (cat "$manifest"; echo "builder=$builder_version"; go env GOVERSION) | sha256sum | cut -c1-16)"
cache_root="${QUASAR_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quasar}"
target="$cache_root/otelcol/$hash"
binary="$target/otelcol"

if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

command -v go >/dev/null || { echo "build.sh: Go is required to build the OpenTelemetry Collector" >&2; exit 1; }

gobin="$cache_root/gobin"
mkdir -p "$gobin" "$target"
if [[ ! -x "$gobin/builder" ]] || ! "$gobin/builder" version 2>/dev/null | grep -q "${builder_version#v}"; then
  echo "build.sh: installing the collector builder $builder_version" >&2
  GOBIN="$gobin" go install "go.opentelemetry.io/collector/cmd/builder@$builder_version" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s#output_path: ./build#output_path: $work/build#" "$manifest" > "$work/manifest.yaml"
echo "build.sh: building the OpenTelemetry Collector (takes a few minutes, cached at $target)" >&2
"$gobin/builder" --config "$work/manifest.yaml" >&2
install -m 0755 "$work/build/otelcol-quasar" "$binary.tmp"
mv "$binary.tmp" "$binary"
echo "$binary"
