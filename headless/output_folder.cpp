#include "headless/output_folder.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "headless/args.hpp"

namespace kt::cli {

namespace fs = std::filesystem;

namespace {

bool is_kubetwin_output(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  if (fs::is_empty(dir, ec)) return true;
  // What run, sweep/merge, plan, import, calibrate and backtest write.
  for (const char* marker : {"summary.json", "sweep.json", "plan.csv", "import.json",
                             "calibration.json", "backtest.json"}) {
    if (fs::exists(dir / marker, ec)) return true;
  }
  return false;
}

}  // namespace

OutputFolder::OutputFolder(std::string destination) : destination_(std::move(destination)) {
  std::error_code ec;
  const fs::path dest(destination_);
  if (fs::exists(dest, ec) && !is_kubetwin_output(dest)) {
    throw UsageError("output folder " + destination_ +
                     " exists and is not a kubetwin output folder (no summary.json, sweep.json, "
                     "plan.csv, import.json, calibration.json or backtest.json); refusing to "
                     "replace it: choose another --out");
  }
}

void OutputFolder::create_temporary() {
  std::error_code ec;
  const fs::path dest(destination_);
  const fs::path parent = dest.has_parent_path() ? dest.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw UsageError("cannot create " + parent.string() + ": " + ec.message());
  const std::string base = dest.filename().string();
  for (int attempt = 0;; ++attempt) {
    const fs::path candidate = parent / ("." + base + ".tmp-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(attempt));
    if (fs::create_directory(candidate, ec)) {
      temporary_ = candidate.string();
      break;
    }
    if (ec || attempt > 100) {
      throw UsageError("cannot create a temporary folder beside " + destination_ + ": " +
                       (ec ? ec.message() : std::string("too many attempts")));
    }
  }
}

OutputFolder::~OutputFolder() {
  if (!committed_ && !temporary_.empty()) {
    std::error_code ec;
    fs::remove_all(temporary_, ec);
  }
}

void OutputFolder::write(const std::string& name, const std::string& content) {
  if (temporary_.empty()) create_temporary();
  const fs::path path = fs::path(temporary_) / name;
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void OutputFolder::commit() {
  const fs::path dest(destination_);
  std::error_code ec;
  fs::path old;
  if (fs::exists(dest, ec)) {
    old = fs::path(temporary_ + ".old");
    fs::rename(dest, old);
  }
  fs::rename(temporary_, dest);
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace kt::cli
