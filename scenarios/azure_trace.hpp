#pragma once
// Inside the scenario layer: the invocation traces of the public Azure Functions 2019 dataset
// (Shahrad et al., "Serverless in the Wild", USENIX ATC 2020; github.com/Azure/
// AzurePublicDataset, AzureFunctionsDataset2019.md), read as users download them:
//  - invocations_per_function_md.anon.dNN.csv: HashOwner, HashApp, HashFunction, Trigger,
//    then the invocations in each minute of the day, columns 1..1440;
//  - function_durations_percentiles.anon.dNN.csv: HashOwner, HashApp, HashFunction,
//    Average, Count, Minimum, Maximum, then percentile_Average_0, _1, _25, _50, _75, _99,
//    _100, in milliseconds.
// Problems are errors at their file:line:col; a missing file at the scenario's field.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/distribution.hpp"
#include "scenarios/diagnostics.hpp"

namespace kt::scenario {

// Every function of an invocations file, in file order.
struct AzureFunctionTrace {
  std::string hash;     // HashFunction
  std::string app;      // HashApp
  std::string trigger;  // http, timer, queue, ...
  std::vector<std::uint32_t> per_minute;
};
bool load_azure_population(const std::string& path, const SourcePos& named_at,
                           std::vector<AzureFunctionTrace>& out, Diagnostics& diags);

// One row per application (HashApp, Azure Functions' unit of warm-up and memory), in the
// order the applications first appear: hash and app the HashApp, counts summed per minute
// (an error at `named_at` beyond 100,000,000 in a minute). `functions` receives, per
// application, its functions' hashes and day's invocations in file order.
bool fold_into_applications(
    std::vector<AzureFunctionTrace>& rows,
    std::vector<std::vector<std::pair<std::string, std::uint64_t>>>& functions,
    const SourcePos& named_at, Diagnostics& diags);

// Every function's durations of a durations file, in file order: the piecewise-linear quantile
// function through its percentiles, sampled at 0, 1, ..., 100 %, in seconds.
struct AzureDurationRow {
  std::string function;  // HashFunction
  std::vector<double> quantiles_s;
};
bool load_azure_duration_table(const std::string& path, const SourcePos& named_at,
                               std::vector<AzureDurationRow>& out, Diagnostics& diags);

// The distribution whose quantile function is piecewise linear through `quantiles_s`, the
// values at equally spaced probabilities 0 .. 1.
Distribution quantile_function_distribution(std::vector<double> quantiles_s);

// The mixture of several such quantile functions (each at equally spaced probabilities),
// part k drawn with probability weights[k] / sum(weights). Between the parts' values every
// part's CDF is linear, so the mixture's is too: its CDF through those values, exact (a part
// with repeated values, an atom, is spread over the gap below it).
Distribution mix_quantile_functions(const std::vector<const std::vector<double>*>& parts,
                                    const std::vector<double>& weights);

// The per-minute invocation counts of `function` (a HashFunction; every row summed when
// empty), 1440 of them.
bool load_azure_invocations(const std::string& path, const SourcePos& named_at,
                            const std::string& function, std::vector<std::uint32_t>& per_minute,
                            Diagnostics& diags);

// The duration distribution of `function` (the only row when empty): the piecewise-linear
// quantile function through its percentiles, in seconds.
bool load_azure_durations(const std::string& path, const SourcePos& named_at,
                          const std::string& function, Distribution& out, Diagnostics& diags);

}  // namespace kt::scenario
