#!/usr/bin/env bash
# The layers point one way: engine <- models <- scenarios <- {headless, gui}. A folder may
# include only its own headers and those of the layers below it; models and engine include no
# YAML or Qt header. Exits non-zero, naming the offending lines, when that is broken.
set -u
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root" || exit 2
status=0
forbid() {  # forbid FOLDER PATTERN WHY
  [ -d "$1" ] || return 0
  local hits
  hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($2)" "$1" \
    --include='*.hpp' --include='*.cpp' --include='*.h' 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "layering violation ($3):"; echo "$hits" | sed 's/^/  /'; status=1
  fi
}
forbid engine    'models/|scenarios/|headless/|gui/|yaml-cpp/|Q[A-Za-z]+' "engine depends on nothing of ours"
forbid models    'scenarios/|headless/|gui/|yaml-cpp/|Q[A-Za-z]+'           "models depend on engine only"
forbid scenarios 'headless/|gui/|Q[A-Za-z]+'                                 "scenarios must not know its front ends"
forbid headless  'gui/|Q[A-Za-z]+'                                           "headless must not need Qt"
[ "$status" = 0 ] && echo "layering ok: engine <- models <- scenarios <- {headless, gui}"
exit "$status"
