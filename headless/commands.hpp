#pragma once
// Subcommands of `kubetwin`. Each takes the arguments after its name and returns the exit code.

#include <string>
#include <vector>

namespace kt::cli {

int bench_command(const std::vector<std::string>& args);
int bench_schedule(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int run_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int plan_command(const std::vector<std::string>& args);
int import_command(const std::vector<std::string>& args);
int calibrate_command(const std::vector<std::string>& args);
int backtest_command(const std::vector<std::string>& args);

// --prometheus values: files as given, folders as their *.json (sorted).
std::vector<std::string> export_files(const std::vector<std::string>& given);

}  // namespace kt::cli
