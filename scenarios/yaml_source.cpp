#include "scenarios/yaml_source.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace kt::scenario {

namespace fs = std::filesystem;

SourcePos position_of(const YAML::Node& node, const std::string& file) {
  if (!node.IsDefined()) return {file, 0, 0};  // a missing key has no place (and Mark() throws)
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

namespace {

// Returns the byte offset of the first invalid UTF-8 sequence, or npos when the text is valid.
std::size_t first_invalid_utf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
                          (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string::npos;
}

SourcePos position_of_offset(const std::string& text, std::size_t offset, const std::string& file) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {file, line, static_cast<int>(offset - line_start) + 1};
}

bool line_starts_with_tab(const std::string& text, int line_1based) {
  int line = 1;
  std::size_t i = 0;
  while (i < text.size() && line < line_1based) {
    if (text[i++] == '\n') ++line;
  }
  for (; i < text.size() && text[i] != '\n'; ++i) {
    if (text[i] == '\t') return true;
    if (text[i] != ' ') return false;
  }
  return false;
}

// Walks a document counting nodes as a consumer would see them (aliases expanded), so that an
// alias bomb is refused before any code iterates over it.
class SizeGuard {
 public:
  explicit SizeGuard(const YamlLimits& limits) : limits_(limits) {}
  // Returns an empty string when the document is within limits, else what was exceeded.
  std::string check(const YAML::Node& node, std::size_t depth = 0) {
    if (++visited_ > limits_.max_nodes) {
      return "document expands to more than " + std::to_string(limits_.max_nodes) +
             " nodes (YAML aliases repeated many times?)";
    }
    if (depth > limits_.max_depth) {
      return "document is nested more than " + std::to_string(limits_.max_depth) + " levels deep";
    }
    if (node.IsSequence()) {
      for (const YAML::Node& child : node) {
        std::string problem = check(child, depth + 1);
        if (!problem.empty()) return problem;
      }
    } else if (node.IsMap()) {
      for (const auto& entry : node) {
        std::string problem = check(entry.first, depth + 1);
        if (problem.empty()) problem = check(entry.second, depth + 1);
        if (!problem.empty()) return problem;
      }
    }
    return {};
  }

 private:
  const YamlLimits& limits_;
  std::size_t visited_ = 0;
};

}  // namespace

bool load_yaml_text(const std::string& text, const std::string& file,
                    std::vector<YamlDocument>& out, Diagnostics& diags, const YamlLimits& limits) {
  if (text.size() > limits.max_file_bytes) {
    diags.error({file, 0, 0},
                "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                    std::to_string(limits.max_file_bytes),
                "split it into several files");
    return false;
  }
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string::npos) {
    diags.error(position_of_offset(text, bad, file), "file is not valid UTF-8",
                "YAML files must be UTF-8 encoded");
    return false;
  }
  if (const std::size_t nul = text.find('\0'); nul != std::string::npos) {
    diags.error(position_of_offset(text, nul, file), "file contains a NUL byte",
                "is this a binary file?");
    return false;
  }
  std::vector<YAML::Node> documents;
  try {
    std::istringstream stream(text);
    documents = YAML::LoadAll(stream);
  } catch (const YAML::Exception& e) {
    SourcePos pos{file, 0, 0};
    if (!e.mark.is_null()) pos = {file, e.mark.line + 1, e.mark.column + 1};
    std::string hint;
    if (pos.line > 0 && line_starts_with_tab(text, pos.line)) {
      hint = "YAML does not allow tabs for indentation; use spaces";
    } else if (text.find('\t') != std::string::npos && pos.line > 0) {
      hint = "the file contains tabs; YAML indentation must use spaces";
    }
    diags.error(pos, "invalid YAML: " + e.msg, hint);
    return false;
  }
  bool ok = true;
  std::size_t index = 0;
  for (YAML::Node& root : documents) {
    SizeGuard guard(limits);
    if (const std::string problem = guard.check(root); !problem.empty()) {
      diags.error(position_of(root, file), problem);
      ok = false;
      ++index;
      continue;
    }
    if (root.IsNull()) {
      ++index;
      continue;  // an empty document ("---" with nothing after it) is not an object
    }
    out.push_back({file, index++, root});
  }
  return ok;
}

bool load_yaml_file(const std::string& path, std::vector<YamlDocument>& out, Diagnostics& diags,
                    const YamlLimits& limits) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) {
    diags.error({path, 0, 0}, "cannot read file: " + ec.message());
    return false;
  }
  if (size > limits.max_file_bytes) {
    diags.error({path, 0, 0},
                "file is " + std::to_string(size) + " bytes; the limit is " +
                    std::to_string(limits.max_file_bytes),
                "split it into several files");
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error({path, 0, 0}, "cannot open file");
    return false;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    diags.error({path, 0, 0}, "file is empty", "a manifest or scenario needs at least one object");
    return false;
  }
  return load_yaml_text(text, path, out, diags, limits);
}

namespace {

bool is_yaml_name(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

}  // namespace

std::vector<std::string> expand_yaml_paths(const std::vector<std::string>& paths,
                                           Diagnostics& diags) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      diags.error({path, 0, 0}, "no such file or directory");
      continue;
    }
    if (fs::is_directory(status)) {
      std::vector<std::string> found;
      fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && is_yaml_name(it->path())) found.push_back(it->path());
      }
      if (ec) diags.error({path, 0, 0}, "cannot list directory: " + ec.message());
      if (found.empty() && !ec) {
        diags.error({path, 0, 0}, "directory contains no YAML files (*.yaml, *.yml)");
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

}  // namespace kt::scenario
