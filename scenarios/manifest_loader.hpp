#pragma once
// YAML documents -> typed manifest objects, through the kind registry. Scenario documents
// (kubetwin.io Scenario) are handed back untouched for the scenario parser.

#include <string>
#include <vector>

#include "scenarios/manifest.hpp"
#include "scenarios/yaml_source.hpp"

namespace kt::scenario {

struct ManifestSet {
  std::vector<ManifestObject> objects;
  std::vector<YamlDocument> scenario_documents;
};

// Reads every document; problems go to `diags` (unknown kinds are warnings).
void read_manifests(const std::vector<YamlDocument>& documents, ManifestSet& out,
                    Diagnostics& diags);

// Parses one object from `root` (also used again after a policy override changed it).
// Returns false when the document is not an object kubetwin can read at all.
bool parse_object(const YAML::Node& root, const std::string& file, ManifestObject& out,
                  Diagnostics& diags, int line_offset = 0);

// Cross-object checks. The same object twice (API group, kind, namespace, name): the later
// document updates the earlier one, as `kubectl apply -f` does, and a warning says so; the
// earlier is dropped from `objects`. References to objects that are not there are warnings,
// since the referenced object may live in the cluster rather than these files.
void check_manifest_set(std::vector<ManifestObject>& objects, Diagnostics& diags);

// The object called Kind/name, or nullptr. `ambiguous` is set when two API groups define an
// object of that kind and name (e.g. a core and a Knative Service).
const ManifestObject* find_object(const std::vector<ManifestObject>& objects,
                                  const std::string& kind, const std::string& name,
                                  bool* ambiguous = nullptr);

bool is_scenario_document(const YAML::Node& root);

}  // namespace kt::scenario
