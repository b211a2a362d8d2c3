#pragma once
// Logarithm and exponential built only from IEEE-754 +, -, *, / (each correctly rounded) and
// exact bit manipulation, so random variates are bit-identical on every platform and standard
// library. std::log / std::exp are not required to be correctly rounded and differ between
// libm versions. Accuracy: within a few ulps over the whole double range.

namespace kt {

double det_log(double x);  // natural logarithm; -inf for 0, NaN for negatives
double det_exp(double x);  // e^x; +inf on overflow, 0 on underflow

}  // namespace kt
