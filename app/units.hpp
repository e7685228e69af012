#pragma once
// Parsing of numbers with units as scenarios write them: "2ms", "1.5 s", "4KiB", "10Gbit/s".
// Each function returns nullopt-free results or throws std::invalid_argument with a message that
// says what was expected; the caller adds the position.

#include <cstdint>
#include <string>

namespace sgdsim {

/// A plain real number, the whole text ("1e-3", "-2", ".5"); "inf" and "nan" are refused.
double parse_real(const std::string& text);

/// A duration in seconds from "<number><unit>" with unit ns, us, ms, s, min or h; a bare 0 is
/// allowed. Negative durations are refused.
double parse_duration(const std::string& text);

/// A size in bytes from "<number>[unit]" with unit B, KB, MB, GB (powers of 1000) or KiB, MiB,
/// GiB (powers of 1024); a bare number is bytes. Must be a whole number of bytes.
std::uint64_t parse_bytes(const std::string& text);

/// A bandwidth in bytes per second from "<number><unit>" with unit B/s, KB/s, MB/s, GB/s, bit/s,
/// Kbit/s, Mbit/s or Gbit/s, or "inf" for transfers that take no time.
double parse_bandwidth(const std::string& text);

}  // namespace sgdsim
