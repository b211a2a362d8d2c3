#pragma once
// Reading YAML from disk safely: size and encoding checks before parsing, parser errors turned
// into diagnostics with their place, and guards against documents that are small on disk but
// huge in memory (alias bombs) or too deeply nested to walk.

#include <cstddef>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenarios/diagnostics.hpp"

namespace kt::scenario {

struct YamlDocument {
  std::string file;
  std::size_t index = 0;  // position in a multi-document stream
  YAML::Node root;
  int line_offset = 0;  // lines of the file before this document (marks are per document)
};

struct YamlLimits {
  std::size_t max_file_bytes = 16u << 20;  // 16 MiB: far beyond any real manifest
  std::size_t max_nodes = 1'000'000;       // nodes visited with aliases expanded
  std::size_t max_depth = 128;             // nesting of maps and sequences
  std::size_t max_documents = 10'000;      // documents in one file
};

// Parses one file (all its documents) or, given YAML text directly, that text labelled `file`.
// Returns false and adds errors when the input is unreadable, not UTF-8, not YAML or too big.
bool load_yaml_file(const std::string& path, std::vector<YamlDocument>& out, Diagnostics& diags,
                    const YamlLimits& limits = {});
bool load_yaml_text(const std::string& text, const std::string& file,
                    std::vector<YamlDocument>& out, Diagnostics& diags,
                    const YamlLimits& limits = {});

// Files named by `paths`: files as given, folders searched recursively for *.yaml and *.yml
// (sorted, so the order is the same on every machine). A folder without YAML is an error.
std::vector<std::string> expand_yaml_paths(const std::vector<std::string>& paths,
                                           Diagnostics& diags);

// The 1-based place of a node, for diagnostics.
SourcePos position_of(const YAML::Node& node, const std::string& file, int line_offset = 0);

}  // namespace kt::scenario
