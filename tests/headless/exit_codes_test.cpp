// Exit codes as SPEC.md says: 2 for the user's input only, 3 for internal errors, whatever
// exception type the engine or a model throws.

#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/simulation.hpp"
#include "headless/args.hpp"
#include "headless/exit_codes.hpp"
#include "runs/runner.hpp"

namespace kt::cli {
namespace {

template <class E>
Failure failure_for(const E& e) {
  return failure_of(std::make_exception_ptr(e));
}

TEST(ExitCodes, UsersInputIsTwo) {
  EXPECT_EQ(failure_for(UsageError("--format must be table, json or md")).exit_code, 2);
  EXPECT_EQ(failure_for(runs::UnknownPolicy("--policy x: no such policy")).exit_code, 2);
  EXPECT_EQ(failure_for(UsageError("bad")).message, "kubetwin: error: bad");
}

TEST(ExitCodes, WhatTheEngineOrAModelThrowsIsThree) {
  // The engine's own checks (a negative lookahead, a distribution outside its domain) throw
  // std::invalid_argument: reaching main, that is a bug, not bad input.
  EXPECT_EQ(failure_for(std::invalid_argument("lookahead must not be negative")).exit_code, 3);
  EXPECT_EQ(failure_for(CausalityError("event in the past")).exit_code, 3);
  EXPECT_EQ(failure_for(std::out_of_range("schedule: no LP 7")).exit_code, 3);
  EXPECT_EQ(failure_for(std::runtime_error("cannot write")).message,
            "kubetwin: internal error: cannot write");
  EXPECT_EQ(failure_of(std::make_exception_ptr(42)).exit_code, 3);
}

TEST(ExitCodes, AnEngineErrorThrownThroughASimulationIsThree) {
  Simulation sim(1, 0);
  try {
    sim.set_lookahead(-1);
    FAIL() << "a negative lookahead was accepted";
  } catch (...) {
    EXPECT_EQ(failure_of(std::current_exception()).exit_code, 3);
  }
}

}  // namespace
}  // namespace kt::cli
