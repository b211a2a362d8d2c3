#pragma once
// Problems found in user input, each with its place (file:line:col), collected in one pass so a
// user sees every mistake of a file at once instead of fixing them one run at a time.

#include <cstddef>
#include <string>
#include <vector>

namespace kt::scenario {

// A place in a file; line and column are 1-based, 0 when unknown (e.g. a whole-file problem).
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  SourcePos pos;
  std::string message;
  std::string hint;  // optional: how to fix it
};

// "FILE:LINE:COL: error: message; hint: ..." (LINE:COL left out when unknown).
std::string format_diagnostic(const Diagnostic& d);

class Diagnostics {
 public:
  void error(const SourcePos& pos, std::string message, std::string hint = {});
  void warning(const SourcePos& pos, std::string message, std::string hint = {});

  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return all_.size() - errors_; }
  bool ok() const { return errors_ == 0; }

  // In the order they were found; sorted() orders them by file, line, column for printing.
  const std::vector<Diagnostic>& all() const { return all_; }
  std::vector<Diagnostic> sorted() const;

  // A hard cap so that a pathological file cannot produce gigabytes of messages.
  static constexpr std::size_t kMaxReported = 1000;

 private:
  void add(Diagnostic d);
  std::vector<Diagnostic> all_;
  std::size_t errors_ = 0;
  bool truncated_ = false;
};

// The closest of `candidates` to `word` by edit distance, or "" when none is close enough to be
// a plausible typo. Used for "did you mean" hints.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace kt::scenario
