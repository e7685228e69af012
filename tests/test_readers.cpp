// Real data: the IDX reader (Fashion-MNIST), the email corpus reader (SpamAssassin), and
// scenarios that train on them. The fixtures in tests/data/ come from tests/data/make_fixtures.py.

#include <zlib.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>

#include "app/cli.hpp"
#include "app/learning_problem.hpp"
#include "models/email_corpus.hpp"
#include "models/idx.hpp"
#include "models/libsvm.hpp"
#include "support.hpp"

using namespace sgdsim;
using namespace sgdsim::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::filesystem::path kFixtures = std::filesystem::path(SGDSIM_SOURCE_DIR) / "tests/data";

/// Pixel (r, c) of fixture image g (training images first, then test), as make_fixtures.py writes.
std::uint8_t fixture_pixel(std::size_t g, std::size_t r, std::size_t c) {
  return static_cast<std::uint8_t>((40 * g + 9 * r + c) % 256);
}

/// The bytes of an IDX file: magic 0x0000_08_<dims>, the dimensions, then `payload`.
std::string idx_file(std::vector<std::uint32_t> dims, const std::string& payload) {
  std::string bytes = {0, 0, 8, static_cast<char>(dims.size())};
  for (const std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>(d >> shift & 0xff);
  return bytes + payload;
}

/// Writes `bytes` gzipped to `path`.
void write_gzip(const std::filesystem::path& path, const std::string& bytes) {
  gzFile out = gzopen(path.c_str(), "wb");
  REQUIRE(out != nullptr);
  gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(out);
}

/// A small logistic regression on the SpamAssassin fixture, with the data keys given.
std::string spam_scenario(const std::string& data_keys) {
  return "cluster: {workers: 2}\ncompute: {time: 1ms}\nmodel: {type: logistic}\n"
         "data: {source: spam_assassin" +
         data_keys +
         "}\nalgorithm: {type: async, step_size: 2}\nstop: {updates: 300}\n"
         "output: {trace: false}\n";
}

}  // namespace

TEST_CASE("the IDX reader parses gzipped images and labels exactly") {
  const IdxImages idx = read_idx(kFixtures / "fashion-mnist/train-images-idx3-ubyte.gz",
                                 kFixtures / "fashion-mnist/train-labels-idx1-ubyte.gz");
  REQUIRE(idx.size() == 6);
  REQUIRE(idx.rows == 28);
  REQUIRE(idx.cols == 28);
  for (std::size_t g = 0; g < 6; ++g) {
    CHECK(idx.labels[g] == 7 * g % 10);
    for (std::size_t r = 0; r < 28; ++r)
      for (std::size_t c = 0; c < 28; ++c) REQUIRE(idx.pixel(g, r, c) == fixture_pixel(g, r, c));
  }
  const Dataset data = idx_dataset(idx);
  REQUIRE(data.size() == 6);
  REQUIRE(data.features() == 784);
  CHECK_FALSE(data.is_sparse());
  CHECK(data.dense_rows()(3, 2 * 28 + 5) == fixture_pixel(3, 2, 5) / 255.0);
  CHECK(data.dense_rows().maxCoeff() <= 1.0);
  CHECK(data.label(4) == 8.0);
}

TEST_CASE("plain IDX files read the same as gzipped ones, and a selection keeps its order") {
  TempDir dir;
  write_text(dir / "img", idx_file({3, 1, 2}, std::string("\x00\xff\x33\x66\x99\xcc", 6)));
  write_text(dir / "lab", idx_file({3}, std::string("\x02\x00\x09", 3)));
  write_gzip(dir / "img.gz", read_text(dir / "img"));
  write_gzip(dir / "lab.gz", read_text(dir / "lab"));
  const IdxImages plain = read_idx(dir / "img", dir / "lab");
  const IdxImages gzipped = read_idx(dir / "img.gz", dir / "lab.gz");
  CHECK(plain.pixels == gzipped.pixels);
  CHECK(plain.labels == gzipped.labels);
  const std::vector<std::size_t> rows = {2, 0};
  const Dataset data = idx_dataset(plain, rows);
  REQUIRE(data.size() == 2);
  CHECK(data.dense_rows()(0, 0) == 0x99 / 255.0);
  CHECK(data.dense_rows()(1, 1) == 1.0);
  CHECK(data.labels() == Vector::Map(std::vector<double>{9.0, 2.0}.data(), 2));
}

TEST_CASE("the Fashion-MNIST loader reads the training and test sets of a cache folder") {
  const Dataset train = load_fashion_mnist(kFixtures, false);
  const Dataset test = load_fashion_mnist(kFixtures, true);
  REQUIRE(train.size() == 6);
  REQUIRE(test.size() == 2);
  CHECK(test.label(0) == 2.0);  // Image 6: 42 mod 10.
  CHECK(test.label(1) == 9.0);
  CHECK(test.dense_rows()(1, 27 * 28 + 27) == fixture_pixel(7, 27, 27) / 255.0);
}

TEST_CASE("malformed IDX files are refused with the file and the byte at fault") {
  TempDir dir;
  const std::string img = (dir / "img").string(), lab = (dir / "lab").string();
  const std::string six(6, '\x01'), labels = "\x01\x02";
  struct Case {
    std::string images, labels, message;
  };
  const std::vector<Case> cases = {
      {std::string("\x00\x00\x09\x03", 4) + six, idx_file({2}, labels),
       img + ": byte 0: not an IDX file of unsigned bytes: the magic number is 0x00000903, "
             "expected 0x00000803 for IDX image files"},
      {idx_file({2, 1}, six), idx_file({2}, labels),
       img + ": byte 3: IDX image files have 3 dimensions, but this file has 2"},
      {idx_file({2, 3}, six), idx_file({2}, labels),
       img + ": byte 3: IDX image files have 3 dimensions, but this file has 2"},
      {idx_file({2, 0, 3}, ""), idx_file({2}, labels),
       img + ": byte 8: images of 0 x 3 pixels are empty"},
      {idx_file({2, 1, 3}, "").substr(0, 10), idx_file({2}, labels),
       img + ": byte 10: the file ends inside its 16-byte header"},
      {idx_file({2, 1, 3}, "\x01\x02\x03\x04"), idx_file({2}, labels),
       img + ": byte 20: the file ends inside image 1 of 2 (its header promises 22 bytes)"},
      {idx_file({2, 1, 3}, six + "\x07\x07"), idx_file({2}, labels),
       img + ": byte 22: 2 more bytes after the last of the 2 images"},
      {idx_file({2, 1, 3}, six), idx_file({3}, labels + "\x03"),
       lab + ": byte 4: 3 labels for the 2 images of " + img},
      {idx_file({2, 1, 3}, six), idx_file({2}, "\x01\x0c"),
       lab + ": byte 9: label 12 of image 1 is not a class 0 to 9"},
      {idx_file({2, 1, 3}, six), idx_file({2, 1}, labels),
       lab + ": byte 3: IDX label files have 1 dimension, but this file has 2"},
  };
  for (const Case& c : cases) {
    write_text(img, c.images);
    write_text(lab, c.labels);
    CHECK_THROWS_WITH(read_idx(img, lab), c.message);
  }
  CHECK_THROWS_WITH(read_idx(dir / "none", lab),
                    (dir / "none").string() + ": cannot read the file");
}

TEST_CASE("a cut gzip stream and images of the wrong size are refused with their position") {
  TempDir dir;
  const std::string gz = read_text(kFixtures / "fashion-mnist/train-images-idx3-ubyte.gz");
  write_text(dir / "cut.gz", gz.substr(0, gz.size() / 2));
  const auto labels = kFixtures / "fashion-mnist/train-labels-idx1-ubyte.gz";
  CHECK_THROWS_WITH(read_idx(dir / "cut.gz", labels),
                    (dir / "cut.gz").string() + ": byte 766: the gzip data are cut short");
  std::string corrupt = gz;
  corrupt[gz.size() - 6] ^= 0x55;  // The CRC-32 of the uncompressed data: all of it is read.
  write_text(dir / "corrupt.gz", corrupt);
  CHECK_THROWS_WITH(read_idx(dir / "corrupt.gz", labels),
                    (dir / "corrupt.gz").string() +
                        ": byte 4720: the gzip data are corrupt: incorrect data check");
  std::filesystem::create_directories(dir / "fashion-mnist");
  write_gzip(dir / "fashion-mnist/train-images-idx3-ubyte.gz", idx_file({1, 2, 3}, "abcdef"));
  write_gzip(dir / "fashion-mnist/train-labels-idx1-ubyte.gz", idx_file({1}, "\x01"));
  CHECK_THROWS_WITH(load_fashion_mnist(dir.path(), false),
                    (dir / "fashion-mnist/train-images-idx3-ubyte.gz").string() +
                        ": byte 8: Fashion-MNIST images are 28 x 28 pixels, these are 2 x 3");
}

TEST_CASE("words hash to their columns with FNV-1a, the same on every platform") {
  CHECK(fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cull);
  CHECK(fnv1a64("foobar") == 0x85944171f73967e8ull);
  CHECK(token_column("foobar", 1000) == 0x85944171f73967e8ull % 1000);
}

TEST_CASE("an email's words are its subject's, kept apart, and its body's, other headers dropped") {
  const std::string email =
      "From someone  Thu Aug 22 2002\nReceived: from relay\n\tby host\n"
      "Subject: Cheap\n PILLS, now\nX-Note: 42\r\n\r\nBuy pills-now: 3x!\n"
      "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk and more\n";
  const std::vector<std::string> expected = {
      "subject:cheap", "subject:pills", "subject:now", "buy", "pills", "now", "3x", "and", "more"};
  CHECK(email_tokens(email, "e.txt") == expected);
  CHECK(email_tokens("Subject: no body", "e.txt") ==
        std::vector<std::string>{"subject:no", "subject:body"});
}

TEST_CASE("the email corpus reader parses the fixture exactly") {
  const std::size_t columns = 1 << 20;
  const Dataset data = read_email_corpus(kFixtures / "spam-assassin", columns);
  REQUIRE(data.size() == 8);
  REQUIRE(data.is_sparse());
  CHECK(data.features() == columns);
  CHECK(data.labels() == Vector::Map(std::vector<double>{-1, -1, -1, -1, 1, 1, 1, 1}.data(), 8));
  for (std::size_t i = 0; i < 8; ++i)
    CHECK(data.sparse_rows().row(static_cast<Eigen::Index>(i)).norm() == Approx(1.0));
  // Email 5: "Subject: Cheap VIAGRA now" and "Buy cheap viagra, VIAGRA!!! Click
  // http://spam.example/buy now." then a 56-character base64 run, which is skipped: 11 distinct
  // words, "buy" and "viagra" twice.
  const SparseRows& x = data.sparse_rows();
  CHECK(x.row(4).nonZeros() == 11);
  const double norm = std::sqrt(2 * std::pow(std::log(3.0), 2) + 9 * std::pow(std::log(2.0), 2));
  CHECK(x.coeff(4, static_cast<Eigen::Index>(token_column("viagra", columns))) ==
        Approx(std::log(3.0) / norm));
  CHECK(x.coeff(4, static_cast<Eigen::Index>(token_column("subject:viagra", columns))) ==
        Approx(std::log(2.0) / norm));
  CHECK(x.coeff(0, static_cast<Eigen::Index>(token_column("viagra", columns))) == 0.0);
  const Dataset cached = load_spam_assassin(kFixtures, columns);
  CHECK(SparseRows(cached.sparse_rows() - x).norm() == 0.0);
}

TEST_CASE("malformed email corpora are refused with the file and line at fault") {
  TempDir dir;
  const std::string list = (dir / "file_list.json").string();
  std::filesystem::create_directories(dir / "easy-ham");
  write_text(dir / "easy-ham/a.txt", "Subject: fine\n\nhello\n");
  write_text(dir / "easy-ham/bad.txt", "From: x\nSubject: y\ngarbage line\n\nbody\n");
  write_text(dir / "easy-ham/empty.txt", "");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{}", list + ":1: expected a JSON array of file names, got '{'"},
      {"[]", list + ":1: the list names no email"},
      {"[\n  \"easy-ham/a.txt\"\n  \"easy-ham/a.txt\"\n]",
       list + ":3: expected ',' or ']' after a file name, got '\"'"},
      {"[\"easy-ham/a.txt\",\n 7]", list + ":2: expected a file name in double quotes, got '7'"},
      {"[\"easy-ham/a.txt\"] x", list + ":1: unexpected text after the list: 'x'"},
      {"[\n\"misc/a.txt\"]",
       list + ":2: 'misc/a.txt': group 'misc' is neither spam (spam...) nor ham (ham..., "
              "...-ham...)"},
      {"[\"../a.txt\"]", list + ":1: '../a.txt' is not a path GROUP/FILE inside the corpus folder"},
      {"[\"a.txt\"]", list + ":1: 'a.txt' is not a path GROUP/FILE inside the corpus folder"},
      {"[\"easy-ham/a.txt\",\n\"easy-ham/b.txt\"]",
       list + ":2: cannot read the email '" + (dir / "easy-ham/b.txt").string() + "'"},
      {"[\"easy-ham/bad.txt\"]",
       (dir / "easy-ham/bad.txt").string() +
           ":3: expected a header line 'Name: value' (or the empty line before the body), got "
           "'garbage line'"},
      {"[\"easy-ham/empty.txt\"]",
       (dir / "easy-ham/empty.txt").string() + ":1: the email is empty"},
  };
  for (const auto& [text, message] : cases) {
    write_text(list, text);
    CHECK_THROWS_WITH(read_email_corpus(dir.path(), 16), message);
  }
  std::filesystem::remove(list);
  CHECK_THROWS_WITH(read_email_corpus(dir.path(), 16), list + ": cannot read the file");
}

TEST_CASE("a scenario on the SpamAssassin fixture loads and trains") {
  TempDir dir;
  const auto run = run_yaml(dir, spam_scenario(", folder: '" + kFixtures.string() +
                                               "', hashed_features: 4096, test_fraction: 0.25"));
  const auto j = summary(run);
  CHECK(j["updates"] == 300);
  const std::vector<double> loss = csv_column(run / "metrics.csv", "train_loss");
  REQUIRE(loss.size() > 2);
  CHECK(loss.back() < 0.5 * loss.front());
}

TEST_CASE("real data are cut to data.max_samples, Fashion-MNIST keeping its own split") {
  TempDir dir;
  const std::string folder = ", folder: '" + kFixtures.string() + "'";
  const Scenario full = load_scenario_text(
      "compute: {time: 1ms}\nmodel: {type: softmax}\ndata: {source: fashion_mnist" + folder +
          "}\nstop: {updates: 1}\n",
      (dir / "s.yaml").string());
  const LearningProblem p = build_learning_problem(full);
  CHECK(p.train->size() == 6);
  REQUIRE(p.test->size() == 2);
  CHECK(p.test->label(0) == 2.0);
  CHECK(p.test->label(1) == 9.0);
  const LearningProblem cut = build_learning_problem(
      load_scenario_text("compute: {time: 1ms}\nmodel: {type: mlp}\ndata: {source: fashion_mnist" +
                             folder + ", max_samples: 7}\nstop: {updates: 1}\n",
                         (dir / "s.yaml").string()));
  CHECK(cut.train->size() == 5);  // 7 x 6/8 rounded, and the rest from the test images.
  CHECK(cut.test->size() == 2);
  const LearningProblem spam = build_learning_problem(load_scenario_text(
      spam_scenario(folder + ", max_samples: 5, test_fraction: 0.2"), (dir / "t.yaml").string()));
  CHECK(spam.train->size() + spam.test->size() == 5);
}

TEST_CASE("without data.folder, SGDSIM_DATA names the cache folder") {
  TempDir dir;
  ::setenv("SGDSIM_DATA", kFixtures.c_str(), 1);
  const Scenario s = load_scenario_text(spam_scenario(""), (dir / "s.yaml").string());
  const std::size_t samples = build_learning_problem(s).train->size();
  ::unsetenv("SGDSIM_DATA");
  CHECK(samples == 6);
}

TEST_CASE("missing real data is reported at data.source with how to fetch it, exit code 66") {
  TempDir dir;
  const std::string missing = (dir / "nowhere").string();
  write_text(dir / "s.yaml", spam_scenario(", folder: nowhere"));
  const Scenario s = load_scenario((dir / "s.yaml").string());
  CHECK_THROWS_AS(build_learning_problem(s), FileNotFound);
  CHECK_THROWS_WITH(build_learning_problem(s),
                    (dir / "s.yaml").string() + ":4:16: data.source spam_assassin: cannot read '" +
                        missing +
                        "/spam-assassin/file_list.json': the data are not in the cache "
                        "folder '" +
                        missing + "'; run `make data` (or `SGDSIM_DATA=" + missing +
                        " scripts/fetch-data.sh`) to fetch them");
  write_text(dir / "f.yaml",
             "compute: {time: 1ms}\nmodel: {type: softmax}\n"
             "data:\n  folder: nowhere\n  source: fashion_mnist\nstop: {updates: 1}\n");
  std::ostringstream out, err;
  const std::string file = (dir / "f.yaml").string(), out_dir = (dir / "run").string();
  const char* argv[] = {"sgdsim", "run", file.c_str(), "--out", out_dir.c_str()};
  CHECK(sgdsim_main(5, argv, out, err) == 66);
  CHECK_THAT(err.str(), StartsWith(file + ":5:11: data.source fashion_mnist: cannot read '" +
                                   missing + "/fashion-mnist/train-images-idx3-ubyte.gz'") &&
                            Contains("make data"));
  CHECK_FALSE(std::filesystem::exists(dir / "run"));
}

TEST_CASE("the datasets make data fetches read in full, with their published counts") {
  // CI runs `make data` before the tests; elsewhere the test says what it skipped.
  const char* env = std::getenv("SGDSIM_DATA");
  const std::filesystem::path folder =
      env && *env ? std::filesystem::path(env)
                  : std::filesystem::path(SGDSIM_SOURCE_DIR) / ".cache/data";
  if (!std::filesystem::exists(spam_assassin_index(folder)) ||
      !std::filesystem::exists(fashion_mnist_files(folder, false)[0])) {
    WARN("no real data in " << folder << ": run `make data` to check them");
    return;
  }
  const Dataset emails = load_spam_assassin(folder, 1 << 16);
  CHECK(emails.size() == 6046);
  CHECK((emails.labels().array() > 0).count() == 1896);
  for (const bool test_set : {false, true}) {
    const IdxImages images = read_fashion_mnist(folder, test_set);
    REQUIRE(images.size() == (test_set ? 10000 : 60000));
    std::vector<std::size_t> per_class(10);
    for (const std::uint8_t label : images.labels) ++per_class[label];
    CHECK(per_class == std::vector<std::size_t>(10, test_set ? 1000 : 6000));
  }
}
