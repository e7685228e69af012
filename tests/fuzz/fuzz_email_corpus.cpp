// The email-corpus reader on arbitrary bytes: it either reads a dataset or throws DataError. An
// input is the text of file_list.json, a zero byte, then one email, which the corpus folder holds
// as spam/0 and as ham/0 (the names a list can reach; any other name is missing).

#include <cmath>
#include <fstream>

#include "models/email_corpus.hpp"
#include "models/libsvm.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

constexpr std::size_t kFeatures = 64;  // few columns, so that words share them

/// A corpus folder of its own for the process, removed at exit.
struct CorpusFolder {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("sgdsim-fuzz-email-" + std::to_string(getpid()));
  CorpusFolder() {
    std::filesystem::create_directories(path / "spam");
    std::filesystem::create_directories(path / "ham");
  }
  ~CorpusFolder() { std::filesystem::remove_all(path); }
};

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) sgdsim::fuzz::finding("cannot write " + path.string());
}

}  // namespace

/// libFuzzer's entry point: one input, a file list and an email as described above.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const CorpusFolder folder;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t zero = std::min(input.find('\0'), input.size());
  const std::string_view email = input.substr(std::min(zero + 1, input.size()));
  write_file(folder.path / "file_list.json", input.substr(0, zero));
  write_file(folder.path / "spam" / "0", email);
  write_file(folder.path / "ham" / "0", email);
  try {
    const sgdsim::Dataset set = sgdsim::read_email_corpus(folder.path, kFeatures);
    // Each row is scaled to unit length, or empty when the email has no words.
    for (std::size_t i = 0; i < set.size(); ++i) {
      double norm2 = 0.0;
      for (sgdsim::SparseRows::InnerIterator it(set.sparse_rows(), static_cast<std::int64_t>(i));
           it; ++it)
        norm2 += it.value() * it.value();
      if (norm2 != 0.0 && std::abs(norm2 - 1.0) > 1e-9)
        sgdsim::fuzz::finding("a row is not of unit length");
    }
  } catch (const sgdsim::DataError&) {
  }
  return 0;
}
