#!/usr/bin/env bash
# Refresh the query page's vendored editor in kg/web/vendor/codemirror/ from the npm registry:
# CodeMirror 5 (MIT), its SPARQL mode and the bracket-matching add-on, with the licence.
# The result is committed, so installing zhipu-kg needs neither npm nor any network, and
# `kg serve` serves every script itself (no CDN).
# Usage: bash scripts/vendor-web.sh [VERSION]   (default: the version pinned below)
set -euo pipefail
version="${1:-5.65.21}"
cd "$(dirname "$0")/.."
dest=kg/web/vendor/codemirror
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "codemirror@$version" >/dev/null)
tar -xzf "$work/codemirror-$version.tgz" -C "$work"
package="$work/package"
rm -rf "$dest"
mkdir -p "$dest"
cp "$package/LICENSE" "$dest/LICENSE"
cp "$package/lib/codemirror.js" "$package/lib/codemirror.css" "$dest/"
cp "$package/mode/sparql/sparql.js" "$dest/sparql.js"
cp "$package/addon/edit/matchbrackets.js" "$dest/matchbrackets.js"
printf 'codemirror %s, from the npm registry (npm pack codemirror@%s)\n' "$version" "$version" \
    >"$dest/VERSION"
echo "vendored codemirror $version into $dest"
