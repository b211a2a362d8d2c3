#!/usr/bin/env bash
# report.html is a page people open in a browser, so a browser opens it: headless Chromium
# loads it, the page logs no console errors, its charts are in the rendered DOM with their
# axis titles, and a screenshot is saved (refresh docs/img/report.png with `make screenshot`).
# usage: report_browser_test.sh PATH/TO/kubetwin SCREENSHOT.png
set -u
kubetwin="$1"
shot="$2"
cd "$(dirname "$0")/../.."
command -v chromium >/dev/null || { echo "FAIL chromium is not installed (make deps)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$kubetwin" run data/scenarios/quickstart.yaml --out "$tmp/run" --quiet >/dev/null
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile")
timeout 120 chromium "${flags[@]}" --enable-logging=stderr --v=0 --window-size=1280,1800 \
  --screenshot="$shot" "file://$tmp/run/report.html" >"$tmp/log" 2>&1
timeout 120 chromium "${flags[@]}" --dump-dom "file://$tmp/run/report.html" >"$tmp/dom" 2>/dev/null
failures=0
if grep -q 'CONSOLE' "$tmp/log"; then
  echo "FAIL the page logged to the console:"; grep 'CONSOLE' "$tmp/log"; failures=1
fi
charts=$(grep -o '<svg' "$tmp/dom" | wc -l)
if [ "$charts" -ne 7 ] || ! grep -q 'simulated time (min)' "$tmp/dom" ||
   ! grep -q 'shoppers.replicas (pods)' "$tmp/dom"; then
  echo "FAIL rendered DOM: $charts charts, axis titles missing?"; failures=1
fi
size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
if [ "$size" -lt 20000 ]; then echo "FAIL screenshot missing or blank ($size bytes)"; failures=1; fi
[ "$failures" = 0 ] && echo "ok   report.html in Chromium: no console errors, 7 labelled charts, screenshot $shot"
exit "$failures"
