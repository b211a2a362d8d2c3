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
  std::string trigger;  // http, timer, queue, ...
  std::vector<std::uint32_t> per_minute;
};
bool load_azure_population(const std::string& path, const SourcePos& named_at,
                           std::vector<AzureFunctionTrace>& out, Diagnostics& diags);

// Every function's duration distribution of a durations file, in file order.
bool load_azure_duration_table(const std::string& path, const SourcePos& named_at,
                               std::vector<std::pair<std::string, Distribution>>& out,
                               Diagnostics& diags);

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
