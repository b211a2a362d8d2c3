#pragma once
// A small, strict argument parser: "--name value" or "--name=value" options, positionals, and
// a usage error (exit code 2) for anything unknown, missing or malformed.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace kt::cli {

// Bad command-line input: the message is shown as "kubetwin: error: ..." and the exit code is 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `options` lists the accepted "--name" options that take a value; `flags` those that don't;
  // `repeatable` those options that may be given more than once (--policy a --policy b).
  Args(const std::vector<std::string>& argv, const std::vector<std::string>& options,
       const std::vector<std::string>& flags, const std::vector<std::string>& repeatable = {});

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;  // every occurrence

  std::uint64_t get_uint(const std::string& name, std::uint64_t fallback, std::uint64_t min,
                         std::uint64_t max) const;
  double get_double(const std::string& name, double fallback, double min, double max) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positionals_;
};

}  // namespace kt::cli
