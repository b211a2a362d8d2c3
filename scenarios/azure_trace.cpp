#include "scenarios/azure_trace.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <unordered_map>

namespace kt::scenario {

namespace {

constexpr int kMinutes = 1440;

// One CSV line split at commas (the dataset quotes nothing), with each field's column.
struct Field {
  std::string text;
  int column = 1;
};

std::vector<Field> split(const std::string& line) {
  std::vector<Field> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    out.push_back({line.substr(start, comma - start), static_cast<int>(start) + 1});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool open(const std::string& path, const SourcePos& named_at, std::ifstream& in,
          Diagnostics& diags) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    diags.error(named_at, "trace file " + path + " not found",
                "a relative path is read from the scenario's folder");
    return false;
  }
  in.open(path);
  return true;
}

// The header: exactly `names` for the first columns (and, for the invocations, 1..1440).
bool check_header(const std::string& path, const std::vector<Field>& header,
                  const std::vector<std::string>& names, bool minutes, Diagnostics& diags) {
  const std::size_t want = names.size() + (minutes ? kMinutes : 0);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i >= header.size() || header[i].text != names[i]) {
      diags.error({path, 1, i < header.size() ? header[i].column : 1},
                  "expected column '" + names[i] + "' of the Azure Functions 2019 format",
                  "the header starts " + names[0] + "," + names[1] + "," + names[2]);
      return false;
    }
  }
  if (header.size() != want) {
    diags.error({path, 1, 1}, "the header has " + std::to_string(header.size()) +
                                  " columns, the format " + std::to_string(want));
    return false;
  }
  if (minutes) {
    for (int m = 1; m <= kMinutes; ++m) {
      const Field& f = header[names.size() + static_cast<std::size_t>(m - 1)];
      if (f.text != std::to_string(m)) {
        diags.error({path, 1, f.column}, "expected minute column '" + std::to_string(m) + "'");
        return false;
      }
    }
  }
  return true;
}

template <class T>
bool number(const Field& f, T& out) {
  const char* end = f.text.data() + f.text.size();
  const auto [p, ec] = std::from_chars(f.text.data(), end, out);
  return ec == std::errc() && p == end;
}

// Reads a file of the dataset: its header (exactly `names`, then minutes 1..1440 when
// `minutes`), then each non-empty row of the right width, handed to `row(fields, line)`;
// false at the first problem (reported), or when `row` returns false.
template <class Row>
bool for_each_row(const std::string& path, const SourcePos& named_at,
                  const std::vector<std::string>& names, bool minutes, Diagnostics& diags,
                  Row&& row) {
  std::ifstream in;
  if (!open(path, named_at, in, diags)) return false;
  const std::size_t width = names.size() + (minutes ? kMinutes : 0);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::vector<Field> fields = split(line);
    if (line_no == 1) {
      if (!check_header(path, fields, names, minutes, diags)) return false;
      continue;
    }
    if (line.empty()) continue;
    if (fields.size() != width) {
      diags.error({path, line_no, 1}, "a row has " + std::to_string(fields.size()) +
                                          " fields, the format " + std::to_string(width));
      return false;
    }
    if (!row(fields, line_no)) return false;
  }
  return true;
}

}  // namespace

bool load_azure_population(const std::string& path, const SourcePos& named_at,
                           std::vector<AzureFunctionTrace>& out, Diagnostics& diags) {
  const bool ok = for_each_row(path, named_at, {"HashOwner", "HashApp", "HashFunction", "Trigger"},
                               true, diags, [&](const std::vector<Field>& fields, int line_no) {
                                 AzureFunctionTrace f;
                                 f.hash = fields[2].text;
                                 f.app = fields[1].text;
                                 f.trigger = fields[3].text;
                                 f.per_minute.resize(kMinutes);
                                 for (int m = 0; m < kMinutes; ++m) {
                                   const Field& field = fields[4 + static_cast<std::size_t>(m)];
                                   std::uint32_t n = 0;
                                   if (!number(field, n)) {
                                     diags.error({path, line_no, field.column},
                                                 "invocations in minute " + std::to_string(m + 1) +
                                                     " must be a count, got \"" +
                                                     field.text.substr(0, 20) + "\"");
                                     return false;
                                   }
                                   f.per_minute[static_cast<std::size_t>(m)] = n;
                                 }
                                 out.push_back(std::move(f));
                                 return true;
                               });
  if (!ok) return false;
  if (out.empty()) {
    diags.error(named_at, "trace file " + path + " has no rows");
    return false;
  }
  return true;
}

bool fold_into_applications(
    std::vector<AzureFunctionTrace>& rows,
    std::vector<std::vector<std::pair<std::string, std::uint64_t>>>& functions,
    const SourcePos& named_at, Diagnostics& diags) {
  std::vector<AzureFunctionTrace> apps;
  std::vector<std::vector<std::uint64_t>> sums;
  std::unordered_map<std::string, std::size_t> index;  // HashApp -> its place in apps
  functions.clear();
  for (AzureFunctionTrace& f : rows) {
    const auto [at, added] = index.try_emplace(f.app, apps.size());
    if (added) {
      AzureFunctionTrace app;
      app.hash = app.app = f.app;
      app.trigger = f.trigger;
      apps.push_back(std::move(app));
      sums.emplace_back(kMinutes, 0);
      functions.emplace_back();
    }
    const std::size_t i = at->second;
    std::uint64_t total = 0;
    for (std::size_t m = 0; m < sums[i].size(); ++m) {
      sums[i][m] += f.per_minute[m];
      total += f.per_minute[m];
    }
    functions[i].emplace_back(f.hash, total);
  }
  for (std::size_t i = 0; i < apps.size(); ++i) {
    apps[i].per_minute.resize(kMinutes);
    for (std::size_t m = 0; m < sums[i].size(); ++m) {
      if (sums[i][m] > 100'000'000) {
        diags.error(named_at, "application " + apps[i].app +
                                  " has more than 100,000,000 "
                                  "invocations in minute " +
                                  std::to_string(m + 1));
        return false;
      }
      apps[i].per_minute[m] = static_cast<std::uint32_t>(sums[i][m]);
    }
  }
  rows = std::move(apps);
  return true;
}

bool load_azure_invocations(const std::string& path, const SourcePos& named_at,
                            const std::string& function, std::vector<std::uint32_t>& per_minute,
                            Diagnostics& diags) {
  std::vector<AzureFunctionTrace> rows;
  if (!load_azure_population(path, named_at, rows, diags)) return false;
  std::vector<std::uint64_t> sum(kMinutes, 0);
  std::size_t matched = 0;
  for (const AzureFunctionTrace& f : rows) {
    if (!function.empty() && f.hash != function) continue;
    ++matched;
    for (int m = 0; m < kMinutes; ++m)
      sum[static_cast<std::size_t>(m)] += f.per_minute[static_cast<std::size_t>(m)];
  }
  if (matched == 0) {
    diags.error(named_at, "function " + function + " is not in " + path);
    return false;
  }
  per_minute.assign(kMinutes, 0);
  for (int m = 0; m < kMinutes; ++m) {
    if (sum[static_cast<std::size_t>(m)] > 100'000'000) {
      diags.error(named_at, "more than 100,000,000 invocations in minute " + std::to_string(m + 1));
      return false;
    }
    per_minute[static_cast<std::size_t>(m)] =
        static_cast<std::uint32_t>(sum[static_cast<std::size_t>(m)]);
  }
  return true;
}

bool load_azure_duration_table(const std::string& path, const SourcePos& named_at,
                               std::vector<AzureDurationRow>& out, Diagnostics& diags) {
  static const std::vector<std::string> kColumns = {"HashOwner",
                                                    "HashApp",
                                                    "HashFunction",
                                                    "Average",
                                                    "Count",
                                                    "Minimum",
                                                    "Maximum",
                                                    "percentile_Average_0",
                                                    "percentile_Average_1",
                                                    "percentile_Average_25",
                                                    "percentile_Average_50",
                                                    "percentile_Average_75",
                                                    "percentile_Average_99",
                                                    "percentile_Average_100"};
  static const double kAt[] = {0, 1, 25, 50, 75, 99, 100};
  return for_each_row(
      path, named_at, kColumns, false, diags, [&](const std::vector<Field>& fields, int line_no) {
        std::vector<double> q;
        for (std::size_t i = 7; i < fields.size(); ++i) {
          double v = 0;
          if (!number(fields[i], v) || v < 0 || (!q.empty() && v < q.back())) {
            diags.error(
                {path, line_no, fields[i].column},
                kColumns[i] + " must be a duration in ms, not below the percentile before it");
            return false;
          }
          q.push_back(v);
        }
        // The quantile function through the percentiles, sampled at every 1 % so that each gap
        // of the interpolated empirical distribution holds the same probability.
        std::vector<double> values;
        for (int p = 0; p <= 100; ++p) {
          std::size_t k = 0;
          while (k + 2 < std::size(kAt) && kAt[k + 1] < p)
            ++k;
          const double f = (p - kAt[k]) / (kAt[k + 1] - kAt[k]);
          values.push_back((q[k] + f * (q[k + 1] - q[k])) / 1000.0);
        }
        out.push_back({fields[2].text, std::move(values)});
        return true;
      });
}

bool load_azure_durations(const std::string& path, const SourcePos& named_at,
                          const std::string& function, Distribution& out, Diagnostics& diags) {
  std::vector<AzureDurationRow> table;
  if (!load_azure_duration_table(path, named_at, table, diags)) return false;
  if (function.empty() && table.size() != 1) {
    diags.error(named_at, path + " holds " + std::to_string(table.size()) + " functions",
                "name one with 'function: HASH'");
    return false;
  }
  for (AzureDurationRow& row : table) {
    if (function.empty() || row.function == function) {
      out = quantile_function_distribution(std::move(row.quantiles_s));
      return true;
    }
  }
  diags.error(named_at, "function " + function + " is not in " + path);
  return false;
}

Distribution quantile_function_distribution(std::vector<double> quantiles_s) {
  return Distribution::empirical(std::move(quantiles_s), {}, true);
}

namespace {

// P(X <= x) for the piecewise-linear quantile function through `q` at equally spaced
// probabilities.
double cdf_of_quantiles(const std::vector<double>& q, double x) {
  const auto above = std::upper_bound(q.begin(), q.end(), x);
  if (above == q.begin()) return 0;
  if (above == q.end()) return 1;
  const auto i = static_cast<double>(above - q.begin() - 1);
  const double lo = *(above - 1);
  return (i + (x - lo) / (*above - lo)) / static_cast<double>(q.size() - 1);
}

}  // namespace

Distribution mix_quantile_functions(const std::vector<const std::vector<double>*>& parts,
                                    const std::vector<double>& weights) {
  std::vector<double> xs;
  for (const std::vector<double>* q : parts)
    xs.insert(xs.end(), q->begin(), q->end());
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  if (xs.size() == 1) return Distribution::deterministic(xs.front());
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> cdf(xs.size(), 0);
  for (std::size_t j = 0; j < xs.size(); ++j) {
    for (std::size_t k = 0; k < parts.size(); ++k)
      cdf[j] += weights[k] / total * cdf_of_quantiles(*parts[k], xs[j]);
  }
  // Rounding may leave the sums a hair out of order.
  for (std::size_t j = 1; j < cdf.size(); ++j)
    cdf[j] = std::max(cdf[j], cdf[j - 1]);
  cdf.front() = 0;  // what lies at the lowest value spreads over the first gap
  return Distribution::piecewise_linear_cdf(std::move(xs), std::move(cdf));
}

}  // namespace kt::scenario
