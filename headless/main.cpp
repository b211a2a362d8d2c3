// kubetwin: the headless runner. Exit codes (SPEC.md): 0 ok, 1 an SLO failed, 2 invalid input,
// 3 internal error.

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/exit_codes.hpp"
#include "headless/sweep_mpi.hpp"

#ifndef KUBETWIN_VERSION
#define KUBETWIN_VERSION "0.0.0"
#endif

namespace {

constexpr const char* kUsage =
    "kubetwin " KUBETWIN_VERSION
    " - a discrete-event digital twin of Kubernetes fleets\n"
    "\n"
    "usage: kubetwin <command> [options]\n"
    "\n"
    "commands:\n"
    "  validate PATH...   read scenarios and manifests; say what each object becomes\n"
    "  run SCENARIO       simulate every policy x replication; write summary.json and more\n"
    "  sweep SCENARIO     a grid over fields (--set PATH=V1,V2) x policies x replications\n"
    "  merge DIR...       join the folders of a sharded sweep\n"
    "  plan SCENARIO      the cheapest --vary PATH=MIN..MAX that meets every SLO\n"
    "  import DUMP...     a scenario from `kubectl get ... -o yaml`: node pools, workloads\n"
    "  calibrate SCENARIO fit its workloads to Prometheus exports (--prometheus EXPORT)\n"
    "  backtest SCENARIO  the twin against exported observations: coverage of its band\n"
    "  bench schedule     scheduler benchmark: kubetwin bench schedule --help\n"
    "  bench phold        engine benchmark (PHOLD): kubetwin bench phold --help\n"
    "  help               this text\n"
    "  version            the version\n";

int dispatch(const std::vector<std::string>& args) {
  if (args.empty()) throw kt::cli::UsageError(std::string("no command given\n") + kUsage);
  const std::string& command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "version" || command == "--version") {
    std::puts("kubetwin " KUBETWIN_VERSION);
    return 0;
  }
  // Under mpirun only sweep and plan share their work between the ranks; any other command
  // would run once per rank, each writing the same output folder.
  if (command != "sweep" && command != "plan" && kt::cli::launched_with_several_ranks()) {
    throw kt::cli::UsageError("kubetwin " + command +
                              " does not run on several MPI ranks (only sweep and plan do, "
                              "docs/distributed.md); run it without mpirun");
  }
  if (command == "bench") return kt::cli::bench_command(rest);
  if (command == "validate") return kt::cli::validate_command(rest);
  if (command == "run") return kt::cli::run_command(rest);
  if (command == "sweep") return kt::cli::sweep_command(rest);
  if (command == "merge") return kt::cli::merge_command(rest);
  if (command == "plan") return kt::cli::plan_command(rest);
  if (command == "import") return kt::cli::import_command(rest);
  if (command == "calibrate") return kt::cli::calibrate_command(rest);
  if (command == "backtest") return kt::cli::backtest_command(rest);
  throw kt::cli::UsageError("unknown command '" + command + "'\n" + kUsage);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return dispatch(args);
  } catch (...) {
    const kt::cli::Failure f = kt::cli::failure_of(std::current_exception());
    std::fprintf(stderr, "%s\n", f.message.c_str());
    return f.exit_code;
  }
}
