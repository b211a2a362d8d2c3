// A scenario file's text with --set settings applied, for a front end's Save As.

#include <filesystem>
#include <fstream>
#include <iterator>

#include "scenarios/loader.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/scenario_edit.hpp"
#include "scenarios/scenario_paths.hpp"
#include "scenarios/yaml_source.hpp"
#include "scenarios/yaml_writer.hpp"

namespace kt::scenario {

bool edited_scenario_text(const std::string& path,
                          const std::vector<std::pair<std::string, std::string>>& settings,
                          const std::string& save_to, std::string& out, bool& comments_lost,
                          Diagnostics& diags) {
  std::vector<YamlDocument> documents;
  if (!load_yaml_file(path, documents, diags)) return false;
  if (documents.size() != 1 || !is_scenario_document(documents.front().root)) {
    diags.error({path, 1, 1}, "expected one scenario in the file");
    return false;
  }
  YAML::Node root = documents.front().root;
  for (const auto& [setting, value] : settings) {
    const std::string problem = apply_setting(root, setting, value);
    if (!problem.empty()) {
      diags.error({path, 1, 1}, "--set " + setting + "=" + value + ": " + problem);
      return false;
    }
  }
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::filesystem::path from = std::filesystem::path(path).parent_path();
  const std::filesystem::path to = std::filesystem::path(save_to).parent_path();
  const bool moved = std::filesystem::absolute(from).lexically_normal() !=
                     std::filesystem::absolute(to).lexically_normal();
  if (settings.empty() && !moved) {
    out = text;  // nothing to change: the file as it is, comments and all
    comments_lost = false;
    return true;
  }
  if (moved) rebase_paths(root["spec"], from, to);
  // yaml-cpp keeps no comments: with none in the file nothing is lost.
  comments_lost = text.find('#') != std::string::npos;
  out = yaml_text(root) + "\n";
  return true;
}

}  // namespace kt::scenario
