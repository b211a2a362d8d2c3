// data/prices: node prices per provider, region and instance type.

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "scenarios/cluster_import.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario {

namespace fs = std::filesystem;

bool load_price_table(const std::string& path, std::vector<PriceRow>& out, Diagnostics& diags) {
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".csv") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
  } else if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
  } else {
    diags.error({path, 0, 0}, "no price table here", "a folder of *.csv, or one .csv file");
    return false;
  }
  const std::size_t errors = diags.error_count();
  for (const std::string& file : files) {
    std::ifstream in(file);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#' || line.rfind("provider,", 0) == 0) continue;
      std::vector<std::string> fields;
      std::vector<int> columns;
      std::size_t start = 0;
      for (int i = 0; i < 4; ++i) {
        const std::size_t comma = line.find(',', start);
        columns.push_back(static_cast<int>(start) + 1);
        fields.push_back(
            start > line.size()
                ? ""
                : line.substr(start, comma == std::string::npos ? comma : comma - start));
        start = comma == std::string::npos ? line.size() + 1 : comma + 1;
      }
      columns.push_back(static_cast<int>(start) + 1);
      fields.push_back(start <= line.size() ? line.substr(start) : "");
      const Parsed<double> price = parse_number(fields[3]);
      if (fields[0].empty() || fields[1].empty() || fields[2].empty() || fields[4].empty()) {
        diags.error({file, line_no, 1},
                    "a price row needs provider,region,instance_type,usd_per_hour,source");
      } else if (!price.ok() || price.value < 0) {
        diags.error({file, line_no, columns[3]}, "usd_per_hour must be a number >= 0");
      } else {
        out.push_back({fields[0], fields[1], fields[2], price.value, fields[4]});
      }
    }
  }
  return diags.error_count() == errors;
}

}  // namespace kt::scenario
