#include "scenarios/loader.hpp"

#include "scenarios/kind_registry.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/scenario_edit.hpp"
#include "scenarios/scenario_parser.hpp"
#include "scenarios/yaml_source.hpp"

namespace kt::scenario {

LoadResult load_paths(const std::vector<std::string>& paths, Diagnostics& diags) {
  LoadResult result;
  std::vector<YamlDocument> documents;
  for (const std::string& file : expand_yaml_paths(paths, diags)) {
    const std::size_t before = documents.size();
    const bool read = load_yaml_file(file, documents, diags);
    if (read && documents.size() == before) {
      diags.error({file, 0, 0}, "file holds no objects (only comments or empty documents)");
    }
  }
  ManifestSet set;
  read_manifests(documents, set, diags);
  check_manifest_set(set.objects, diags);
  result.objects = std::move(set.objects);
  for (const YamlDocument& doc : set.scenario_documents) {
    Scenario sc;
    try {
      parse_scenario(doc, sc, diags);
    } catch (const YAML::Exception& e) {
      diags.error(position_of(doc.root, doc.file, doc.line_offset),
                  "scenario could not be read: " + e.msg);
      continue;
    }
    result.scenarios.push_back(std::move(sc));
  }
  return result;
}

bool load_scenario_file(const std::string& path, Scenario& out, Diagnostics& diags,
                        const std::vector<std::pair<std::string, std::string>>& settings) {
  std::vector<YamlDocument> documents;
  if (!load_yaml_file(path, documents, diags)) return false;
  const YamlDocument* scenario_doc = nullptr;
  for (const YamlDocument& doc : documents) {
    if (!is_scenario_document(doc.root)) {
      diags.error(position_of(doc.root, doc.file, doc.line_offset),
                  "expected a scenario (apiVersion: kubetwin.io/v1alpha1, kind: Scenario)",
                  "manifests belong in the files named by spec.manifests");
      return false;
    }
    if (scenario_doc) {
      diags.error(position_of(doc.root, doc.file, doc.line_offset),
                  "a scenario file holds one scenario");
      return false;
    }
    scenario_doc = &doc;
  }
  if (!scenario_doc) {
    diags.error({path, 0, 0}, "file holds no scenario");
    return false;
  }
  // The documents were read just now for this call alone: the settings change them in place
  // (YAML::Clone would drop every node's mark, and with them the places of all diagnostics).
  YamlDocument doc = *scenario_doc;
  if (!settings.empty()) {
    for (const auto& [setting, value] : settings) {
      YAML::Mark at;
      const std::string problem = apply_setting(doc.root, setting, value, &at);
      if (!problem.empty()) {
        SourcePos pos{path, 0, 0};
        if (at.line >= 0) pos = {path, at.line + 1 + doc.line_offset, at.column + 1};
        diags.error(pos, "--set " + setting + "=" + value + ": " + problem);
        return false;
      }
    }
  }
  try {
    return parse_scenario(doc, out, diags);
  } catch (const YAML::Exception& e) {
    diags.error(position_of(scenario_doc->root, path, scenario_doc->line_offset),
                "scenario could not be read: " + e.msg);
    return false;
  }
}

std::string describe_handling(const ManifestObject& obj) {
  if (obj.model.empty()) return "not simulated: " + obj.not_simulated;
  const KindHandler* handler = KindRegistry::builtin().find(obj.group(), obj.kind);
  if (handler && handler->runnable) {
    if (handler->unsupported) {
      if (const std::string why = handler->unsupported(obj); !why.empty()) {
        return obj.model + " (read and checked; not simulated: " + why + ")";
      }
    }
    return obj.model;
  }
  return obj.model + " (model not built yet: read and checked, not simulated)";
}

}  // namespace kt::scenario
