#pragma once
// What the harnesses share: files that hold the fuzzer's bytes in memory, and how a harness
// reports a broken property (abort, so that libFuzzer keeps the input as a crash).

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace sgdsim::fuzz {

/// Stops the run with `what` on stderr: the input broke a property the harness checks.
[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "sgdsim fuzz finding: %s\n", what.c_str());
  std::abort();
}

/// A file in memory (memfd), opened by readers through its /proc/self/fd path: readers that take
/// a path read the input without it ever touching the disk.
class MemoryFile {
 public:
  /// An empty file; `name` only shows in /proc.
  explicit MemoryFile(const char* name) : fd_(memfd_create(name, MFD_CLOEXEC)) {
    if (fd_ < 0) finding("memfd_create failed");
  }
  ~MemoryFile() { close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  /// Replaces the content with the `size` bytes at `data`.
  void write(const std::uint8_t* data, std::size_t size) {
    if (ftruncate(fd_, 0) != 0) finding("ftruncate failed");
    for (std::size_t done = 0; done < size;) {
      const ssize_t n = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      if (n <= 0) finding("pwrite failed");
      done += static_cast<std::size_t>(n);
    }
  }

  /// A path that opens the file.
  std::filesystem::path path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

}  // namespace sgdsim::fuzz
