#!/usr/bin/env bash
# scripts/generate-api.sh: regenerates Sources/TuodiAPI/Generated from the contract
# (Sources/TuodiAPI/openapi.yaml) with the pinned swift-openapi-generator in tools/, and records
# the contract's SHA-256 in Generated/ContractDigest.swift. A test compares that digest with the
# contract the binary embeds, so an edited openapi.yaml without regenerated code fails `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
api=Sources/TuodiAPI
out=$api/Generated
swift build --package-path tools/openapi-generator --scratch-path .build/tools \
  --product swift-openapi-generator >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.build/tools/debug/swift-openapi-generator generate \
  --config "$api/openapi-generator-config.yaml" --output-directory "$tmp" "$api/openapi.yaml"
digest=$(cat "$api/openapi.yaml" "$api/openapi-generator-config.yaml" | sha256sum | cut -d' ' -f1)
rm -rf "$out"
mkdir -p "$out"
cp "$tmp"/*.swift "$out"/
cat > "$out/ContractDigest.swift" <<SWIFT
// Written by scripts/generate-api.sh with the code beside it: the SHA-256 of openapi.yaml
// followed by openapi-generator-config.yaml. Do not edit; run \`make api\`.
package let generatedContractDigest = "$digest"
SWIFT
echo "generate-api.sh: $(ls "$out" | wc -l) files in $out from contract $digest" >&2
