#pragma once
// A run directory written atomically: files go to a hidden staging folder next to the target,
// which is renamed into place only when the run has succeeded. A failed or interrupted run never
// leaves a directory that looks complete, and never touches an existing one.

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace sgdsim {

/// The run directory cannot be created or written; `exit_code()` is 73 or 74.
class RunDirectoryError : public std::runtime_error {
 public:
  RunDirectoryError(const std::string& message, int code)
      : std::runtime_error(message), code_(code) {}
  int exit_code() const { return code_; }

 private:
  int code_;
};

/// Stages the files of one run and publishes them together.
class RunDirectory {
 public:
  /// Fails with RunDirectoryError (73) when `target` already exists or its parent cannot hold it.
  explicit RunDirectory(std::filesystem::path target);
  /// Removes the staging folder unless commit() succeeded.
  ~RunDirectory();
  RunDirectory(const RunDirectory&) = delete;
  RunDirectory& operator=(const RunDirectory&) = delete;

  /// Where to write file `name` before commit.
  std::filesystem::path staged(const std::string& name) const { return staging_ / name; }

  /// Moves the staged files into place as `target`.
  void commit();

  const std::filesystem::path& target() const { return target_; }

 private:
  std::filesystem::path target_, staging_;
  bool committed_ = false;
};

/// An output file of a run, opened in the staging folder, that must close cleanly.
struct StagedFile {
  /// Opens file `name` of `dir`; RunDirectoryError (74) when it cannot.
  StagedFile(const RunDirectory& dir, const std::string& name);
  /// Closes the file; RunDirectoryError (74) when anything written to it failed.
  void close();

  std::filesystem::path path;
  std::ofstream out;
};

/// Writes `text` as file `name` of `dir` (RunDirectoryError 74 on failure).
void write_staged(const RunDirectory& dir, const std::string& name, const std::string& text);

/// `runs/NAME-seedSEED` under `base`, or with "-2", "-3", ... appended when taken, so a default
/// run never replaces an earlier one.
std::filesystem::path fresh_run_path(const std::filesystem::path& base, const std::string& name,
                                     std::uint64_t seed);

}  // namespace sgdsim
