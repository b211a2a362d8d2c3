#include "headless/diagnostics_output.hpp"

#include <cstdio>

namespace kt::cli {

void print_diagnostics(const scenario::Diagnostics& diags) {
  for (const scenario::Diagnostic& d : diags.sorted()) {
    std::fprintf(stderr, "%s\n", scenario::format_diagnostic(d).c_str());
  }
}

}  // namespace kt::cli
