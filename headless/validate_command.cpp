// `kubetwin validate PATH...`: what kubetwin understood of each object, then every problem.

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/diagnostics_output.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/not_simulated.hpp"

namespace kt::cli {

namespace {

constexpr const char* kValidateUsage =
    "usage: kubetwin validate PATH...\n"
    "  PATH: a scenario or manifest file, or a folder (searched for *.yaml, *.yml)\n"
    "  prints one line per object (Kind/name -> model, or -> not simulated: reason),\n"
    "  then warnings and errors on stderr; exit 0 when valid, 2 when not\n";

std::string place_key(const scenario::ManifestObject& obj) {
  return obj.pos.file + ":" + std::to_string(obj.pos.line) + ":" + std::to_string(obj.pos.column);
}

}  // namespace

int validate_command(const std::vector<std::string>& argv) {
  const Args args(argv, {}, {"help"});
  if (args.flag("help")) {
    std::fputs(kValidateUsage, stdout);
    return 0;
  }
  if (args.positionals().empty()) {
    throw UsageError(std::string("validate needs at least one PATH\n") + kValidateUsage);
  }
  scenario::Diagnostics diags;
  const scenario::LoadResult result = scenario::load_paths(args.positionals(), diags);
  std::set<std::string> listed;
  std::size_t objects = 0;
  for (const scenario::ManifestObject& obj : result.objects) {
    std::printf("%s -> %s\n", obj.id().c_str(), scenario::describe_handling(obj).c_str());
    listed.insert(place_key(obj));
    ++objects;
  }
  for (const scenario::Scenario& sc : result.scenarios) {
    std::printf("Scenario/%s -> kubetwin scenario: %zu workload%s, %zu polic%s, %zu SLO%s\n",
                sc.name.c_str(), sc.workloads.size(), sc.workloads.size() == 1 ? "" : "s",
                sc.policies.size(), sc.policies.size() == 1 ? "y" : "ies", sc.slos.size(),
                sc.slos.size() == 1 ? "" : "s");
    ++objects;
    for (const scenario::ManifestObject& obj : sc.objects) {
      if (!listed.insert(place_key(obj)).second) continue;
      std::printf("%s -> %s\n", obj.id().c_str(), scenario::describe_handling(obj).c_str());
      ++objects;
    }
  }
  // What is read but not simulated yet, each once: fields of the manifests' objects, and for
  // scenarios whatever their policies' runs leave out.
  std::vector<std::string> notes = scenario::not_simulated_fields(result.objects);
  for (const scenario::Scenario& sc : result.scenarios) {
    for (const scenario::Policy& policy : sc.policies) {
      for (const std::string& line : scenario::not_simulated_parts(sc, policy, false)) {
        if (std::find(notes.begin(), notes.end(), line) == notes.end()) notes.push_back(line);
      }
    }
  }
  for (const std::string& line : notes)
    std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  print_diagnostics(diags);
  std::fprintf(stderr, "%zu object%s, %zu error%s, %zu warning%s\n", objects,
               objects == 1 ? "" : "s", diags.error_count(), diags.error_count() == 1 ? "" : "s",
               diags.warning_count(), diags.warning_count() == 1 ? "" : "s");
  return diags.ok() ? 0 : 2;
}

}  // namespace kt::cli
