#pragma once
// Resident memory of this process, for the memory figures the benchmarks print.

#include <cstddef>

namespace kt::cli {

std::size_t resident_bytes();       // current resident set size (0 if unknown)
std::size_t peak_resident_bytes();  // high-water mark of the resident set size

}  // namespace kt::cli
