#pragma once
// Inside the scenario layer only: a scenario's relative paths, rewritten when it is written
// somewhere else (kubetwin calibrate's output, a front end's Save As).

#include <filesystem>

#include <yaml-cpp/yaml.h>

namespace kt::scenario {

// Every field of a scenario's spec that names a file (spec.manifests, workloads' arrival
// files, edge outage traces), written relative to `from` (the scenario's folder), rewritten to
// be read from `to`; absolute paths stay as they are.
void rebase_paths(YAML::Node spec, const std::filesystem::path& from,
                  const std::filesystem::path& to);

}  // namespace kt::scenario
