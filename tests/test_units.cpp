#include <catch2/catch.hpp>
#include <cmath>

#include "app/units.hpp"

using namespace sgdsim;

TEST_CASE("durations are read with their units") {
  CHECK(parse_duration("2ms") == Approx(2e-3));
  CHECK(parse_duration("1.5 s") == Approx(1.5));
  CHECK(parse_duration("250us") == Approx(250e-6));
  CHECK(parse_duration("7ns") == Approx(7e-9));
  CHECK(parse_duration("2min") == Approx(120.0));
  CHECK(parse_duration("0") == 0.0);
  CHECK_THROWS_WITH(parse_duration("5"), Catch::Contains("needs a unit"));
  CHECK_THROWS_WITH(parse_duration("5 parsecs"), Catch::Contains("unknown duration unit"));
  CHECK_THROWS_WITH(parse_duration("-1ms"), Catch::Contains("negative"));
  CHECK_THROWS(parse_duration("ms"));
}

TEST_CASE("sizes are read in decimal and binary units and bare numbers as bytes") {
  CHECK(parse_bytes("4") == 4);
  CHECK(parse_bytes("4KB") == 4000);
  CHECK(parse_bytes("4KiB") == 4096);
  CHECK(parse_bytes("1.5MB") == 1500000);
  CHECK_THROWS(parse_bytes("0.5B"));
  CHECK_THROWS(parse_bytes("-1"));
}

TEST_CASE("bandwidths are read in bytes or bits per second or as inf") {
  CHECK(parse_bandwidth("1GB/s") == Approx(1e9));
  CHECK(parse_bandwidth("10Gbit/s") == Approx(1.25e9));
  CHECK(parse_bandwidth("100Mbit/s") == Approx(12.5e6));
  CHECK(std::isinf(parse_bandwidth("inf")));
  CHECK_THROWS(parse_bandwidth("0B/s"));
  CHECK_THROWS(parse_bandwidth("10"));
}

TEST_CASE("plain numbers refuse trailing text") {
  CHECK(parse_real("1e-3") == Approx(1e-3));
  CHECK_THROWS(parse_real("1e-3x"));
  CHECK_THROWS(parse_real("nan"));
}
