#pragma once
// What `kubetwin calibrate` reports: every fit with its goodness (calibration.md), the same as
// JSON (calibration.json), and a few lines for the terminal.

#include <string>

#include "scenarios/calibrate.hpp"

namespace kt::runs {

std::string calibration_markdown(const scenario::Calibration& cal);
std::string calibration_json(const scenario::Calibration& cal);
std::string calibration_summary(const scenario::Calibration& cal);

}  // namespace kt::runs
