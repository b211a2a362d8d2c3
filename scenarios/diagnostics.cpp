#include "scenarios/diagnostics.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace kt::scenario {

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.pos.file.empty() ? std::string("<input>") : d.pos.file;
  if (d.pos.line > 0) {
    out += ':';
    out += std::to_string(d.pos.line);
    out += ':';
    out += std::to_string(d.pos.column);
  }
  out += d.severity == Severity::error ? ": error: " : ": warning: ";
  out += d.message;
  if (!d.hint.empty()) {
    out += "; hint: ";
    out += d.hint;
  }
  return out;
}

void Diagnostics::error(const SourcePos& pos, std::string message, std::string hint) {
  add({Severity::error, pos, std::move(message), std::move(hint)});
}

void Diagnostics::warning(const SourcePos& pos, std::string message, std::string hint) {
  add({Severity::warning, pos, std::move(message), std::move(hint)});
}

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::error) ++errors_;
  if (all_.size() >= kMaxReported) {
    if (!truncated_) {
      truncated_ = true;
      all_.push_back({Severity::error, d.pos, "too many problems; the rest are not shown", {}});
      ++errors_;
    }
    return;
  }
  all_.push_back(std::move(d));
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = all_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.pos.file, a.pos.line, a.pos.column) <
           std::tie(b.pos.file, b.pos.line, b.pos.column);
  });
  return out;
}

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return {};
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (!best.empty() || word.size() < 3) return best;
  // No near spelling: a candidate that contains the word ("pull" -> "imagePull").
  const auto lower = [](std::string text) {
    for (char& c : text)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  const std::string needle = lower(word);
  for (const std::string& candidate : candidates) {
    if (lower(candidate).find(needle) != std::string::npos) return candidate;
  }
  return best;
}

}  // namespace kt::scenario
