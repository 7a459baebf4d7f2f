#!/usr/bin/env bash
# Runs every file under tests/data through the WebAssembly build and the native program
# (different chunk sizes on purpose) and fails on any difference in the summary (timings
# aside) or the output, byte for byte.
set -euo pipefail
wasm_js=$1 native=$2 data=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
strip_timings() { python3 -c 'import re,sys; sys.stdout.write(re.sub(r",\n  \"timings\": \{[^}]*\}\n\}\n$", "\n}\n", open(sys.argv[1]).read()))' "$1"; }
passed=0 failed=0
while IFS= read -r -d '' file; do
  case "$file" in *.expected) continue ;; esac
  # Compressed input is the hosts' to decompress: the native program does, the bare core in
  # WebAssembly refuses it. Decompression is compared in tests/native and e2e instead.
  case "$(head -c 4 "$file" | od -An -tx1 | tr -d ' \n')" in 1f8b*|28b52ffd) continue ;; esac
  for to in ndjson csv; do
    for chunk in 7 65536; do
      node --no-experimental-fetch "$wasm_js" "$file" "$to" "$chunk" "$work/wasm.json" "$work/wasm.out" 2>/dev/null || true
      "$native" parse "$file" --to "$to" -o "$work/native.out" --summary "$work/native.json" --quiet --no-progress || true
      if cmp -s "$work/wasm.out" "$work/native.out" && cmp -s "$work/wasm.json" <(strip_timings "$work/native.json"); then
        passed=$((passed + 1))
      else
        echo "DIFFERENT: $file --to $to (WebAssembly chunks of $chunk bytes)"
        diff <(strip_timings "$work/native.json") "$work/wasm.json" | head -n 10 || true
        cmp "$work/native.out" "$work/wasm.out" || true
        failed=$((failed + 1))
      fi
    done
  done
done < <(find "$data" -type f -print0 | sort -z)
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
