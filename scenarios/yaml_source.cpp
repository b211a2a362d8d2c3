#include "scenarios/yaml_source.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

namespace kt::scenario {

namespace fs = std::filesystem;

SourcePos position_of(const YAML::Node& node, const std::string& file, int line_offset) {
  if (!node.IsDefined()) return {file, 0, 0};  // a missing key has no place (and Mark() throws)
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1 + line_offset, mark.column + 1};
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
    const bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
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

struct DocumentText {
  std::string text;
  int first_line = 0;  // 0-based line of the file where this document's text starts
};

bool is_marker_line(std::string_view line, std::string_view marker) {
  return line.substr(0, 3) == marker &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

bool is_preamble_line(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  return first == std::string_view::npos || line[first] == '#' || line[0] == '%';
}

// Splits a YAML stream at its document markers. A line starting with "---" or "..." at
// column 0 is always a marker in YAML (such lines are forbidden inside scalars), so this is
// exact. Directives and comments before "---" stay with the document they introduce.
std::vector<DocumentText> split_documents(const std::string& text) {
  std::vector<DocumentText> out;
  DocumentText current;
  bool only_preamble = true;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + pos, end - pos);
    if (is_marker_line(line, "---") && !only_preamble) {
      out.push_back(std::move(current));
      current = DocumentText{};
      current.first_line = line_no;
      only_preamble = true;
    }
    current.text.append(line);
    current.text += '\n';
    if (is_marker_line(line, "...")) {
      out.push_back(std::move(current));
      current = DocumentText{};
      current.first_line = line_no + 1;
      only_preamble = true;
    } else if (!is_preamble_line(line) && !is_marker_line(line, "---")) {
      only_preamble = false;
    } else if (is_marker_line(line, "---")) {
      only_preamble = false;  // the marker itself starts the document's content
    }
    ++line_no;
    pos = end + 1;
  }
  if (!current.text.empty()) out.push_back(std::move(current));
  return out;
}

struct Stray {
  int line = 0;  // 1-based within the document; 0: nothing found
  int column = 0;
  char c = 0;
};

// The first character of a document that is neither a comment, a directive, a document
// marker nor a null literal.
Stray first_content(const std::string& text) {
  int line_no = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t first = line.find_first_not_of(" \t");
    if (is_marker_line(line, "---")) first = line.find_first_not_of(" \t", 3);
    if (is_marker_line(line, "...")) first = std::string_view::npos;
    if (first != std::string_view::npos && line[first] != '#' && line[0] != '%') {
      std::string_view rest = line.substr(first);
      if (const std::size_t hash = rest.find(" #"); hash != std::string_view::npos) {
        rest = rest.substr(0, hash);
      }
      while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t'))
        rest.remove_suffix(1);
      if (rest != "~" && rest != "null" && rest != "Null" && rest != "NULL") {
        return {line_no, static_cast<int>(first) + 1, line[first]};
      }
    }
    ++line_no;
    pos = end + 1;
  }
  return {};
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
  const std::vector<DocumentText> chunks = split_documents(text);
  if (chunks.size() > limits.max_documents) {
    diags.error({file, chunks[limits.max_documents].first_line + 1, 1},
                "file holds more than " + std::to_string(limits.max_documents) + " documents",
                "split it into several files");
    return false;
  }
  bool ok = true;
  std::size_t index = 0;
  for (const DocumentText& chunk : chunks) {
    YAML::Node root;
    try {
      // One document at a time: yaml-cpp 0.7's LoadAll never returns on some inputs (a
      // stray ',' at the start of a document yields empty documents forever).
      root = YAML::Load(chunk.text);
    } catch (const YAML::Exception& e) {
      SourcePos pos{file, 0, 0};
      if (!e.mark.is_null()) pos = {file, e.mark.line + 1 + chunk.first_line, e.mark.column + 1};
      std::string hint;
      if (pos.line > 0 && line_starts_with_tab(text, pos.line)) {
        hint = "YAML does not allow tabs for indentation; use spaces";
      } else if (text.find('\t') != std::string::npos && pos.line > 0) {
        hint = "the file contains tabs; YAML indentation must use spaces";
      }
      // JSON is read as YAML (it is YAML 1.2); a .json file's problem is named as JSON's.
      const bool json = file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0;
      diags.error(pos, (json ? "invalid JSON: " : "invalid YAML: ") + e.msg, hint);
      ok = false;
      ++index;
      continue;
    }
    SizeGuard guard(limits);
    if (const std::string problem = guard.check(root); !problem.empty()) {
      diags.error(position_of(root, file, chunk.first_line), problem);
      ok = false;
      ++index;
      continue;
    }
    if (root.IsNull()) {
      // An empty document ("---" with nothing after it) is not an object; but text that
      // yaml-cpp silently read as nothing (a stray ',') is an error.
      if (const auto stray = first_content(chunk.text); stray.line > 0) {
        diags.error({file, stray.line + chunk.first_line, stray.column},
                    "invalid YAML: unexpected '" + std::string(1, stray.c) + "'",
                    "a document must be a map (key: value lines)");
        ok = false;
      }
      ++index;
      continue;
    }
    out.push_back({file, index++, root, chunk.first_line});
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
  return ext == ".yaml" || ext == ".yml" || ext == ".json";  // JSON is read as YAML 1.2
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
        diags.error({path, 0, 0},
                    "directory contains no YAML or JSON files (*.yaml, *.yml, *.json)");
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
