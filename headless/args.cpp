#include "headless/args.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace kt::cli {

Args::Args(const std::vector<std::string>& argv, const std::vector<std::string>& options,
           const std::vector<std::string>& flags, const std::vector<std::string>& repeatable) {
  auto known = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (known(flags, name)) {
      if (inline_value) throw UsageError("--" + name + " takes no value");
      flags_.insert(name);
    } else if (known(options, name) || known(repeatable, name)) {
      if (values_.count(name) && !known(repeatable, name)) {
        throw UsageError("--" + name + " given twice");
      }
      if (inline_value) {
        values_[name].push_back(*inline_value);
      } else if (i + 1 < argv.size()) {
        values_[name].push_back(argv[++i]);
      } else {
        throw UsageError("--" + name + " needs a value");
      }
    } else {
      throw UsageError("unknown option --" + name);
    }
  }
}

std::optional<std::string> Args::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::values(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

std::uint64_t Args::get_uint(const std::string& name, std::uint64_t fallback, std::uint64_t min,
                             std::uint64_t max) const {
  const auto text = value(name);
  if (!text) return fallback;
  std::uint64_t parsed = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, parsed);
  if (ec != std::errc() || ptr != end) {
    throw UsageError("--" + name + " expects a whole number, got '" + *text + "'");
  }
  if (parsed < min || parsed > max) {
    throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " +
                     std::to_string(max) + ", got " + *text);
  }
  return parsed;
}

double Args::get_double(const std::string& name, double fallback, double min, double max) const {
  const auto text = value(name);
  if (!text) return fallback;
  char* end = nullptr;
  const double parsed = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size() || !std::isfinite(parsed)) {
    throw UsageError("--" + name + " expects a number, got '" + *text + "'");
  }
  if (parsed < min || parsed > max) {
    throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " +
                     std::to_string(max) + ", got " + *text);
  }
  return parsed;
}

}  // namespace kt::cli
