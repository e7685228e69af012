// The IDX reader on arbitrary bytes: it either reads images and labels or throws DataError.
// An input is the image file and the label file end to end: a little-endian 32-bit length of the
// image file, the image file (cut short by the input's end), then the label file.

#include <algorithm>

#include "models/idx.hpp"
#include "models/libsvm.hpp"
#include "tests/fuzz/fuzz_support.hpp"

/// libFuzzer's entry point: one input, an image file and a label file as described above.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static sgdsim::fuzz::MemoryFile images("images"), labels("labels");
  if (size < 4) return 0;
  const std::size_t length = std::min<std::size_t>(
      size - 4, data[0] | data[1] << 8 | data[2] << 16 | static_cast<std::size_t>(data[3]) << 24);
  images.write(data + 4, length);
  labels.write(data + 4 + length, size - 4 - length);
  try {
    const sgdsim::IdxImages idx = sgdsim::read_idx(images.path(), labels.path());
    const sgdsim::Dataset set = sgdsim::idx_dataset(idx);
    if (set.size() != idx.size() || set.features() != idx.rows * idx.cols)
      sgdsim::fuzz::finding("the dataset's shape is not the files'");
  } catch (const sgdsim::DataError&) {
  }
  return 0;
}
