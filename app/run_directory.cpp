#include "app/run_directory.hpp"

#include <unistd.h>

#include <system_error>

#include "app/interrupts.hpp"

namespace sgdsim {

RunDirectory::RunDirectory(std::filesystem::path target) : target_(std::move(target)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(target_, ec))
    throw RunDirectoryError("run directory '" + target_.string() +
                                "' already exists; choose another --out or remove it",
                            73);
  const fs::path parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw RunDirectoryError("cannot create '" + parent.string() + "': " + ec.message(), 73);
  // The process id keeps two runs aimed at the same target from sharing a staging folder.
  staging_ =
      parent / ("." + target_.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(staging_, ec);
  // Registered as it is made, so that an interrupt aborting the process removes it too.
  add_abort_path(staging_, [this] {
    std::error_code error;
    if (!fs::create_directory(staging_, error) || error)
      throw RunDirectoryError("cannot create '" + staging_.string() + "': " + error.message(), 73);
  });
}

RunDirectory::~RunDirectory() {
  if (committed_) return;
  std::error_code ec;
  std::filesystem::remove_all(staging_, ec);
  remove_abort_path(staging_);
}

void RunDirectory::commit() {
  std::error_code ec;
  if (std::filesystem::exists(target_, ec))
    throw RunDirectoryError("run directory '" + target_.string() + "' appeared during the run", 73);
  std::filesystem::rename(staging_, target_, ec);
  if (ec) throw RunDirectoryError("cannot publish '" + target_.string() + "': " + ec.message(), 74);
  committed_ = true;
  remove_abort_path(staging_);  // Only now: an abort before the rename must still remove it.
}

std::filesystem::path fresh_run_path(const std::filesystem::path& base, const std::string& name,
                                     std::uint64_t seed) {
  const std::string stem = name + "-seed" + std::to_string(seed);
  std::filesystem::path p = base / stem;
  for (int n = 2; std::filesystem::exists(p); ++n) p = base / (stem + "-" + std::to_string(n));
  return p;
}

StagedFile::StagedFile(const RunDirectory& dir, const std::string& name)
    : path(dir.staged(name)), out(path) {
  if (!out) throw RunDirectoryError("cannot write '" + path.string() + "'", 74);
}

void StagedFile::close() {
  out.close();
  if (!out) throw RunDirectoryError("writing '" + path.string() + "' failed", 74);
}

void write_staged(const RunDirectory& dir, const std::string& name, const std::string& text) {
  StagedFile file(dir, name);
  file.out << text;
  file.close();
}

}  // namespace sgdsim
