#include "headless/data_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <vector>

#ifndef KUBETWIN_DATA_DIR
#define KUBETWIN_DATA_DIR ""
#endif

namespace kt::cli {

std::string bundled_data_path(const std::string& name) {
  namespace fs = std::filesystem;
  std::vector<fs::path> roots;
  if (const char* env = std::getenv("KUBETWIN_DATA"); env && *env) roots.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    roots.push_back(exe.parent_path() / ".." / ".." / "data");
    roots.push_back(exe.parent_path() / ".." / "share" / "kubetwin");
  }
  if (*KUBETWIN_DATA_DIR) roots.emplace_back(KUBETWIN_DATA_DIR);
  for (const fs::path& root : roots) {
    const fs::path p = root / name;
    if (fs::exists(p, ec)) return p.lexically_normal().string();
  }
  return "";
}

}  // namespace kt::cli
