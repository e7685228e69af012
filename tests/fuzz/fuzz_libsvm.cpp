// The LIBSVM reader on arbitrary text: it either reads a dataset or throws DataError. What it
// reads must come back the same when written out and read again.

#include <sstream>

#include "models/libsvm.hpp"
#include "tests/fuzz/fuzz_support.hpp"

/// libFuzzer's entry point: one input, the text of a LIBSVM file.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  sgdsim::Dataset first;
  try {
    first = sgdsim::read_libsvm(in, "fuzz.libsvm");
  } catch (const sgdsim::DataError&) {
    return 0;
  }
  std::ostringstream out;
  sgdsim::write_libsvm(out, first);
  std::istringstream again(out.str());
  const sgdsim::Dataset second = sgdsim::read_libsvm(again, "written.libsvm", first.features());
  if (second.size() != first.size() || second.features() != first.features())
    sgdsim::fuzz::finding("a written dataset reads back with another shape");
  for (std::size_t i = 0; i < first.size(); ++i)
    if (second.label(i) != first.label(i)) sgdsim::fuzz::finding("a label changed on the way");
  // The same entries, explicit zeros included: the writer prints every stored entry exactly.
  // (Compared entry by entry: Eigen's difference of two matrices allocates per column.)
  const sgdsim::SparseRows &a = first.sparse_rows(), &b = second.sparse_rows();
  if (a.nonZeros() != b.nonZeros()) sgdsim::fuzz::finding("the number of entries changed");
  for (Eigen::Index row = 0; row < a.outerSize(); ++row) {
    sgdsim::SparseRows::InnerIterator x(a, row), y(b, row);
    for (; x && y; ++x, ++y)
      if (x.index() != y.index() || x.value() != y.value())
        sgdsim::fuzz::finding("an entry changed on the way");
    if (x || y) sgdsim::fuzz::finding("a row's entries changed on the way");
  }
  return 0;
}
