#!/usr/bin/env bash
# The layers point one way: engine <- models <- scenarios <- runs <- {headless, gui}. A folder
# may include only its own headers and those of the layers below it; only scenarios include
# yaml-cpp; only gui includes Qt; the front ends and the run library see a model through its
# public header (run_fleet, its config), never a component or the fleet core's state. Exits non-zero, naming the offending lines, when that is broken.
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
internals='models/cluster/(fleet_core|fleet_state|fleet_component|fleet_metrics|fleet_pods|replica_controller|hpa_controller|job_controller|node_lifecycle|request_stats)'
forbid engine    'models/|scenarios/|runs/|headless/|gui/|yaml-cpp/|Q[A-Za-z]+' "engine depends on nothing of ours"
forbid models    'scenarios/|runs/|headless/|gui/|yaml-cpp/|Q[A-Za-z]+'           "models depend on engine only"
forbid scenarios 'runs/|headless/|gui/|Q[A-Za-z]+'                                "scenarios must not know the run library or its front ends"
forbid runs      "headless/|gui/|yaml-cpp/|Q[A-Za-z]+|$internals"                 "the run library is shared by the front ends and sees models through their public headers"
forbid headless  "gui/|yaml-cpp/|Q[A-Za-z]+|$internals"                           "headless must not need Qt, YAML or a model's internals"
forbid gui       "headless/|yaml-cpp/|$internals"                                 "the GUI links the run library, not the CLI, YAML or a model's internals"
# The scenario layer's public headers (what runs/, headless/, gui/ and tests include) carry no
# yaml-cpp type, directly or through an internal header.
public_headers="scenarios/loader.hpp scenarios/scenario.hpp scenarios/manifest.hpp scenarios/run_plan.hpp
  scenarios/diagnostics.hpp scenarios/not_simulated.hpp scenarios/units.hpp scenarios/fleet_plan.hpp"
for h in $public_headers; do
  [ -f "$h" ] || continue
  hits=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](yaml-cpp/|scenarios/(yaml_reader|yaml_source|scenario_parser|scenario_sections|kind_registry|raw_yaml|manifest_loader|scenario_edit)\.hpp)|YAML::' "$h")
  if [ -n "$hits" ]; then
    echo "layering violation (a public header of scenarios exposes yaml-cpp): $h"; echo "$hits" | sed 's/^/  /'; status=1
  fi
done
[ "$status" = 0 ] && echo "layering ok: engine <- models <- scenarios <- runs <- {headless, gui}"
exit "$status"
