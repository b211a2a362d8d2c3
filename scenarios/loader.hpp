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

// The text of the scenario file at `path` with `settings` applied, to be saved as `save_to`
// (a front end's Save As), its relative paths rewritten when that is in another folder: the
// file as it is when nothing changes; else re-emitted, and `comments_lost` is set when the
// file had comments (yaml-cpp keeps none). False, with errors, when it cannot be done.
bool edited_scenario_text(const std::string& path,
                          const std::vector<std::pair<std::string, std::string>>& settings,
                          const std::string& save_to, std::string& out, bool& comments_lost,
                          Diagnostics& diags);

// "cluster", "serverless", ... or "not simulated: <reason>" for one object, as `validate` shows.
std::string describe_handling(const ManifestObject& obj);

}  // namespace kt::scenario
