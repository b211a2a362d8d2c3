#include <gtest/gtest.h>

#include "engine/random.hpp"
#include "engine/time.hpp"

namespace kt {
namespace {

SimTime parse_ok(const char* text) {
  const DurationParse p = parse_duration(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.error;
  return p.value_ns;
}

std::string parse_error(const char* text) {
  const DurationParse p = parse_duration(text);
  EXPECT_FALSE(p.ok()) << text << " parsed as " << p.value_ns;
  return p.error;
}

TEST(Duration, ParsesEveryUnit) {
  EXPECT_EQ(parse_ok("7ns"), 7);
  EXPECT_EQ(parse_ok("10us"), 10'000);
  EXPECT_EQ(parse_ok("10\xC2\xB5s"), 10'000);
  EXPECT_EQ(parse_ok("250ms"), 250 * kMillisecond);
  EXPECT_EQ(parse_ok("1.5s"), 1'500 * kMillisecond);
  EXPECT_EQ(parse_ok("10m"), 600 * kSecond);
  EXPECT_EQ(parse_ok("24h"), 24 * kHour);
  EXPECT_EQ(parse_ok("7d"), 7 * kDay);
  EXPECT_EQ(parse_ok("0"), 0);
  EXPECT_EQ(parse_ok("0s"), 0);
}

TEST(Duration, ParsesCompoundsAndExactFractions) {
  EXPECT_EQ(parse_ok("1h30m"), 90 * kMinute);
  EXPECT_EQ(parse_ok("1d2h3m4.5s"), kDay + 2 * kHour + 3 * kMinute + 4'500 * kMillisecond);
  EXPECT_EQ(parse_ok("0.000000001s"), 1);
  EXPECT_EQ(parse_ok("1.25ms"), 1'250'000);
  EXPECT_EQ(parse_ok(".5s"), 500 * kMillisecond);
  EXPECT_EQ(parse_ok("2.s"), 2 * kSecond);
  EXPECT_EQ(parse_ok("1.500000000000000000s"), 1'500 * kMillisecond);
}

TEST(Duration, RejectsBadInput) {
  EXPECT_NE(parse_error("").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("-5s").find("negative"), std::string::npos);
  EXPECT_NE(parse_error("100").find("missing unit"), std::string::npos);
  EXPECT_NE(parse_error("5x").find("unknown unit 'x'"), std::string::npos);
  EXPECT_NE(parse_error("5 s").find("unknown unit"), std::string::npos);
  EXPECT_NE(parse_error("5sec").find("unknown unit"), std::string::npos);
  EXPECT_NE(parse_error("s").find("expected a number"), std::string::npos);
  EXPECT_NE(parse_error("1.5ns").find("finer than one nanosecond"), std::string::npos);
  EXPECT_NE(parse_error("0.0000000001s").find("finer"), std::string::npos);
  EXPECT_NE(parse_error("1e3s").find("unknown unit"), std::string::npos);
  EXPECT_NE(parse_error("107000d").find("overflows"), std::string::npos);
  EXPECT_NE(parse_error("9223372036854775808ns").find("overflows"), std::string::npos);
  EXPECT_NE(parse_error("99999999999999999999999999999s").find("overflows"), std::string::npos);
  EXPECT_NE(parse_error("106751d23h47m16.854775808s").find("overflows"), std::string::npos);
  EXPECT_TRUE(parse_duration("106751d23h47m16.854775807s").ok());
  EXPECT_NE(parse_error("1.2.3s").find("missing unit"), std::string::npos);
  parse_error("5s-");
  parse_error("1h 30m");
}

TEST(Duration, FormatsShortestExactSpelling) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(7), "7ns");
  EXPECT_EQ(format_duration(1'500), "1.5us");
  EXPECT_EQ(format_duration(250 * kMillisecond), "250ms");
  EXPECT_EQ(format_duration(1'234'567), "1.234567ms");
  EXPECT_EQ(format_duration(1'500 * kMillisecond), "1.5s");
  EXPECT_EQ(format_duration(90 * kSecond), "1m30s");
  EXPECT_EQ(format_duration(24 * kHour), "1d");
  EXPECT_EQ(format_duration(kDay + kHour + kMinute + kSecond + 1), "1d1h1m1.000000001s");
  EXPECT_EQ(format_duration(-2 * kSecond), "-2s");
}

TEST(Duration, RoundTripsRandomValues) {
  RandomStream rng(3, 0, 0);
  for (int i = 0; i < 20000; ++i) {
    // Values across all magnitudes: random bit widths from 0 to 62.
    const unsigned bits = static_cast<unsigned>(rng.next_below(63));
    const SimTime value = static_cast<SimTime>(rng.next_u64() >> (64 - bits - 1) >> 1);
    const std::string text = format_duration(value);
    const DurationParse back = parse_duration(text);
    ASSERT_TRUE(back.ok()) << text << ": " << back.error;
    ASSERT_EQ(back.value_ns, value) << text;
  }
  const DurationParse max = parse_duration(format_duration(kTimeMax));
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max.value_ns, kTimeMax);
}

TEST(Duration, SecondsConversions) {
  EXPECT_DOUBLE_EQ(to_seconds(1'500 * kMillisecond), 1.5);
  EXPECT_EQ(from_seconds(1.5), 1'500 * kMillisecond);
  EXPECT_EQ(from_seconds(1e30), kTimeMax);
}

}  // namespace
}  // namespace kt
