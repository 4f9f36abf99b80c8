#!/usr/bin/env bash
# Regenerates what is derived from the API contract, openapi.yaml: the Swift types (swift-openapi-generator, types
# mode) and the served JSON, both under Sources/DeskServer/Generated. Run it after editing openapi.yaml; until then
# OpenAPIContractTests fails. `--check` regenerates into a temporary folder and fails if the committed files differ.
#
# The generator is built by its own package (Tools/openapi-codegen), not by the server's build: compiling it and its
# dependencies would add to every clean build and CI run (numbers in docs/openapi.md).
set -euo pipefail
cd "$(dirname "$0")/.."

tools=Tools/openapi-codegen
config=$tools/openapi-generator-config.yaml
target=Sources/DeskServer/Generated
check=false
[ "${1:-}" = "--check" ] && check=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/types" "$work/out"

swift build --package-path "$tools" -c debug --product swift-openapi-generator >&2
swift build --package-path "$tools" -c debug --product openapi-json >&2
bin=$(swift build --package-path "$tools" -c debug --show-bin-path)

"$bin/swift-openapi-generator" generate --config "$config" --output-directory "$work/types" openapi.yaml >&2
cp "$work"/types/*.swift "$work/out/"
sha256() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi | cut -d' ' -f1; }
# What OpenAPIContractTests recomputes: the inputs one after the other, and the generated types in name order.
source_sha=$(cat openapi.yaml "$config" "$tools/Package.swift" | sha256)
types_sha=$(cat $(ls "$work"/out/Types*.swift | LC_ALL=C sort) | sha256)
"$bin/openapi-json" openapi.yaml "$work/out/OpenAPIContract.swift" "$source_sha" "$types_sha"

if $check; then
  if diff -r "$target" "$work/out"; then
    echo "The generated files are current."
  else
    echo "The generated files are stale: run scripts/generate-openapi.sh and commit the result." >&2
    exit 1
  fi
else
  rm -rf "$target"
  mkdir -p "$target"
  cp "$work"/out/* "$target/"
  echo "Wrote $(ls "$target" | wc -l) files to $target."
fi
