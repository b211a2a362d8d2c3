#pragma once
// A sweep's grid (kubetwin sweep): the parameters and their values, which points a shard
// runs, how one point is loaded, and what a finished point contributes to sweep.csv and the
// table. A point's contribution depends on nothing but the point (its scenario, settings and
// seeds), so shards, resumed sweeps and MPI ranks join into exactly the single-process output.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runs/runner.hpp"
#include "scenarios/diagnostics.hpp"

namespace kt::cli {

struct SweepParameter {
  std::string path;
  std::vector<std::string> values;
};

struct SweepGrid {
  std::string scenario_file;
  std::vector<SweepParameter> params;
  std::size_t points = 1;
  std::size_t shard = 1;  // this process runs every `shards`-th point from shard - 1
  std::size_t shards = 1;
  std::optional<std::uint64_t> seed;         // --seed
  std::optional<std::int64_t> replications;  // --replications

  std::vector<std::size_t> shard_points() const;
  // The value index of each parameter at `point` (the first parameter varies slowest).
  std::vector<std::size_t> coordinates(std::size_t point) const;
  std::vector<std::pair<std::string, std::string>> settings(std::size_t point) const;
};

// Loads and plans one grid point; false with the problems in `diags`.
bool load_point(const SweepGrid& grid, std::size_t point, runs::PreparedRun& run,
                scenario::Diagnostics& diags);

// What a finished point writes: its sweep.csv rows, its table rows, whether every SLO held.
struct PointResult {
  bool pass = true;
  std::string csv_rows;
  std::string table_rows;
};

PointResult point_result(const SweepGrid& grid, std::size_t point, const runs::RunResults& results);

// A point's result as one text (the per-point files of a resumable sweep, the MPI messages),
// and back; false when the text is not one.
std::string encode_point(const PointResult& result);
bool decode_point(const std::string& text, PointResult& out);

std::string sweep_csv_header(const SweepGrid& grid);
std::string sweep_table_header(const SweepGrid& grid);
// sweep.json: the scenario's name, the grid and the shard.
std::string sweep_meta_json(const SweepGrid& grid, const std::string& scenario_name);

}  // namespace kt::cli
