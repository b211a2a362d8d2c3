#include "scenarios/scenario_paths.hpp"

namespace kt::scenario {

namespace {

namespace fs = std::filesystem;

// A path written relative to `from_dir` (the input scenario's folder), rewritten to be read
// from `to_dir`; absolute paths stay as they are.
std::string rebased(const std::string& path, const fs::path& from_dir, const fs::path& to_dir) {
  if (fs::path(path).is_absolute()) return path;
  const fs::path target = fs::absolute(from_dir / path).lexically_normal();
  return target.lexically_relative(fs::absolute(to_dir).lexically_normal()).string();
}

void rebase_scalar(YAML::Node node, const fs::path& from, const fs::path& to) {
  if (node && node.IsScalar()) node = rebased(node.Scalar(), from, to);
}

// Every field of a scenario that names a file: spec.manifests, workloads' arrival files, edge
// outage traces.
}  // namespace

void rebase_paths(YAML::Node spec, const std::filesystem::path& from,
                  const std::filesystem::path& to) {
  if (YAML::Node m = spec["manifests"]; m && m.IsSequence()) {
    for (std::size_t i = 0; i < m.size(); ++i)
      rebase_scalar(m[i], from, to);
  } else if (m && m.IsScalar()) {
    rebase_scalar(m, from, to);
  }
  if (YAML::Node ws = spec["workloads"]; ws && ws.IsSequence()) {
    for (YAML::Node w : ws) {
      if (YAML::Node a = w["arrival"]; a && a.IsMap()) {
        for (const char* key : {"file", "invocations", "durations"})
          rebase_scalar(a[key], from, to);
      }
    }
  }
  if (YAML::Node sites = spec["infrastructure"]["edgeSites"]; sites && sites.IsSequence()) {
    for (YAML::Node site : sites) {
      if (YAML::Node u = site["uplink"]; u && u.IsMap())
        rebase_scalar(u["outage"]["trace"], from, to);
      if (YAML::Node us = site["uplinks"]; us && us.IsSequence()) {
        for (YAML::Node u : us)
          rebase_scalar(u["outage"]["trace"], from, to);
      }
    }
  }
}

}  // namespace kt::scenario
