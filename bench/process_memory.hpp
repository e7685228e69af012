#pragma once
// The benchmarks' view of this process's memory, from /proc/self (Linux).

namespace sgdsim::bench {

/// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"), or -1 when it cannot be read.
double proc_status_bytes(const char* field);

/// Resets the process's peak resident set (VmHWM) to its current resident set (Linux >= 4.0).
bool reset_peak_rss();

}  // namespace sgdsim::bench
