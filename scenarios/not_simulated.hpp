#pragma once
// What is read but not simulated yet, said once, never dropped silently (scenarios/
// not_simulated.cpp): objects of models not built that no workload targets, fields of
// simulated objects that change nothing yet, scenario fields and policy knobs whose model is
// still to come. Each line reads "WHAT -> not simulated: WHY"; `validate` prints them, `run`
// prints them and writes them to summary.json's not_simulated.

#include <string>
#include <vector>

#include "scenarios/diagnostics.hpp"
#include "scenarios/manifest.hpp"
#include "scenarios/scenario.hpp"

namespace kt::models {
struct FleetConfig;
}

namespace kt::scenario {

// Fields of the objects that are read but change no simulated behaviour yet.
std::vector<std::string> not_simulated_fields(const std::vector<ManifestObject>& objects);

// For a run of `scenario` under `policy`: the lines above, the objects of models not built
// that no workload targets (unless `untargeted_objects` is false: validate lists every object
// already), and the scenario's own fields and the policy's knobs that no model uses yet.
std::vector<std::string> not_simulated_parts(const Scenario& scenario, const Policy& policy,
                                             bool untargeted_objects = true);

// Warns, at each SLO's line, about an SLO whose metric no model of the run produces (its
// workload's target is not simulated, or the key never applies to what is simulated): the
// run will report it as "not measured".
void warn_unmeasurable_slos(const Scenario& scenario, const models::FleetConfig& fleet,
                            const std::vector<std::string>& unsimulated_workloads,
                            Diagnostics& diags);

}  // namespace kt::scenario
