// libFuzzer target over the scenario layer: any bytes, read as a YAML file, must give objects,
// scenarios or diagnostics, never a crash, a hang or unbounded memory.
//   make fuzz FUZZ_SECONDS=600

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/manifest_loader.hpp"
#include "scenarios/scenario_parser.hpp"
#include "scenarios/yaml_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kt::scenario;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Diagnostics diags;
  std::vector<YamlDocument> documents;
  load_yaml_text(text, "fuzz.yaml", documents, diags);
  ManifestSet set;
  read_manifests(documents, set, diags);
  check_manifest_set(set.objects, diags);
  for (const YamlDocument& doc : set.scenario_documents) {
    Scenario sc;
    try {
      parse_scenario(doc, sc, diags);
    } catch (const YAML::Exception&) {
      // load_paths reports these as diagnostics; the fuzzer looks for crashes only
    }
  }
  for (const Diagnostic& d : diags.all())
    (void)format_diagnostic(d);
  return 0;
}
