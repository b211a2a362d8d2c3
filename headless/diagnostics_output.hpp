#pragma once
// Prints collected diagnostics to stderr, sorted by place, one line each.

#include "scenarios/diagnostics.hpp"

namespace kt::cli {

void print_diagnostics(const scenario::Diagnostics& diags);

}  // namespace kt::cli
