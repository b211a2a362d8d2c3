#pragma once
// The scenario layer's entry point: files, folders and multi-document streams in; manifest
// objects and scenarios out, with every problem found on the way.

#include <string>
#include <vector>

#include "scenarios/diagnostics.hpp"
#include "scenarios/manifest.hpp"
#include "scenarios/scenario.hpp"

namespace kt::scenario {

struct LoadResult {
  std::vector<ManifestObject> objects;  // loose manifests named on the command line
  std::vector<Scenario> scenarios;      // each with the objects of its spec.manifests
};

LoadResult load_paths(const std::vector<std::string>& paths, Diagnostics& diags);

// Loads exactly one scenario file; false (with errors in `diags`) when it is not one.
// `settings` (PATH, VALUE) are applied to the document first (scenarios/scenario_edit.hpp).
bool load_scenario_file(const std::string& path, Scenario& out, Diagnostics& diags,
                        const std::vector<std::pair<std::string, std::string>>& settings = {});

// "cluster", "serverless", ... or "not simulated: <reason>" for one object, as `validate` shows.
std::string describe_handling(const ManifestObject& obj);

}  // namespace kt::scenario
