#include "headless/sweep_progress.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "headless/args.hpp"

namespace kt::cli {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// FNV-1a, 64 bits: a stable fingerprint of the scenario file's bytes (std::hash is not
// stable across builds).
std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string point_file(std::size_t point) {
  char name[32];
  std::snprintf(name, sizeof name, "point-%06zu.txt", point);
  return name;
}

}  // namespace

std::string sweep_key(const SweepGrid& grid) {
  char hash[32];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(fnv1a(read_file(grid.scenario_file))));
  std::string key = "kubetwin sweep\nscenario " + grid.scenario_file + " fnv1a " + hash + "\n";
  for (const SweepParameter& p : grid.params) {
    key += "set " + p.path + "=";
    for (std::size_t v = 0; v < p.values.size(); ++v)
      key += (v ? "," : "") + p.values[v];
    key += "\n";
  }
  key += "shard " + std::to_string(grid.shard) + "/" + std::to_string(grid.shards) + "\n";
  key += "seed " + (grid.seed ? std::to_string(*grid.seed) : std::string("scenario")) + "\n";
  key += "replications " +
         (grid.replications ? std::to_string(*grid.replications) : std::string("scenario")) + "\n";
  return key;
}

SweepProgress::SweepProgress(const std::string& destination, const SweepGrid& grid, bool resume)
    : folder_(destination + ".partial") {
  const std::string key = sweep_key(grid);
  std::error_code ec;
  const fs::path dir(folder_);
  const fs::path key_file = dir / "sweep.key";
  if (fs::exists(dir, ec)) {
    if (!fs::exists(key_file, ec)) {
      throw UsageError(folder_ + " exists and is not a sweep's partial results; move it away");
    }
    if (resume) {
      if (read_file(key_file) != key) {
        throw UsageError(folder_ + " holds another sweep's points (scenario, grid, shard, seed " +
                         "or replications differ): --resume continues only the same sweep");
      }
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("point-", 0) != 0 || entry.path().extension() != ".txt") continue;
        std::size_t point = 0;
        try {
          point = std::stoul(name.substr(6, name.size() - 10));
        } catch (const std::exception&) {
          continue;
        }
        PointResult r;
        // A point's file is complete or absent (renamed into place); anything else is not ours.
        if (point < grid.points && decode_point(read_file(entry.path()), r)) done_[point] = r;
      }
      return;
    }
    fs::remove_all(dir, ec);
  } else if (resume) {
    throw UsageError("--resume " + destination + ": no partial results at " + folder_ +
                     " (the sweep finished, or never started there)");
  }
  fs::create_directories(dir);
  const fs::path tmp = dir / "sweep.key.tmp";
  std::ofstream(tmp, std::ios::binary) << key;
  fs::rename(tmp, key_file);
}

void SweepProgress::record(std::size_t point, const PointResult& result) {
  const std::string text = encode_point(result);
  const fs::path final_path = fs::path(folder_) / point_file(point);
  const fs::path tmp = fs::path(folder_) / (point_file(point) + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, final_path);
  const std::lock_guard<std::mutex> lock(mutex_);
  done_[point] = result;
}

void SweepProgress::finish() {
  std::error_code ec;
  fs::remove_all(folder_, ec);
}

}  // namespace kt::cli
