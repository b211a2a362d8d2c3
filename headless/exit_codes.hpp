#pragma once
// SPEC.md's exit codes for what a command threw: 2 only for the user's input (a usage error,
// an unknown policy), 3 for anything else, an internal error. The engine's and models'
// std::invalid_argument or logic_error mean a bug, never bad input: the loader reports bad
// input as diagnostics, with its place, before anything runs.

#include <exception>
#include <string>

namespace kt::cli {

struct Failure {
  int exit_code;
  std::string message;  // the line for stderr, "kubetwin: error: ..." or "...internal error..."
};

Failure failure_of(std::exception_ptr error);

}  // namespace kt::cli
