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

}  // namespace kt::cli
