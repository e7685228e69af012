#include "models/email_corpus.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "models/libsvm.hpp"

namespace sgdsim {
namespace {

constexpr std::size_t kMaxWord = 30;  ///< Longer runs are base64, hashes or identifiers.

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// Appends the words of `text`, lower-cased and prefixed.
void add_words(std::string_view text, std::string_view prefix, std::vector<std::string>& out) {
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word_char(text[end])) ++end;
    if (end - i <= kMaxWord) {
      std::string word(prefix);
      for (std::size_t k = i; k < end; ++k)
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(text[k])));
      out.push_back(std::move(word));
    }
    i = end;
  }
}

/// A line quoted in a message: at most 40 characters, non-printable ones as '?'.
std::string quoted(std::string_view line) {
  std::string text(line.substr(0, 40));
  for (char& c : text)
    if (c < ' ' || c > '~') c = '?';
  return "'" + text + (line.size() > 40 ? "...'" : "'");
}

/// A name of a header field: printable ASCII without spaces or colons, at least one character.
bool is_field_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](char c) { return c > ' ' && c <= '~' && c != ':'; });
}

/// One file name of file_list.json and the line it is on.
struct ListEntry {
  std::string path;
  std::size_t line = 0;
};

/// Parses file_list.json: a JSON array of strings, each on a known line.
std::vector<ListEntry> parse_file_list(const std::string& text, const std::string& name) {
  std::size_t pos = 0, line = 1;
  const auto fail = [&](const std::string& message) {
    return DataError(fmt::format("{}:{}: {}", name, line, message));
  };
  const auto skip_space = [&] {
    for (; pos < text.size() && std::string_view(" \t\r\n").find(text[pos]) != std::string::npos;
         ++pos)
      if (text[pos] == '\n') ++line;
  };
  const auto next = [&] {
    return pos < text.size() ? quoted(std::string_view(text).substr(pos, 1)) : "the end";
  };
  skip_space();
  if (pos == text.size() || text[pos] != '[')
    throw fail("expected a JSON array of file names, got " + next());
  ++pos;
  std::vector<ListEntry> entries;
  skip_space();
  if (pos < text.size() && text[pos] == ']') throw fail("the list names no email");
  for (;;) {
    skip_space();
    if (pos == text.size() || text[pos] != '"')
      throw fail("expected a file name in double quotes, got " + next());
    ListEntry entry{{}, line};
    for (++pos; pos < text.size() && text[pos] != '"'; ++pos) {
      const char c = text[pos];
      if (static_cast<unsigned char>(c) < 0x20) throw fail("a file name cannot span lines");
      if (c != '\\') {
        entry.path += c;
        continue;
      }
      if (++pos == text.size()) break;
      const char e = text[pos];
      if (e == '"' || e == '\\' || e == '/') {
        entry.path += e;
      } else if (e == 'u' && pos + 4 < text.size()) {
        const std::string hex = text.substr(pos + 1, 4);
        const unsigned long code = std::strtoul(hex.c_str(), nullptr, 16);
        if (hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos || code == 0 ||
            code > 0x7e)
          throw fail("unsupported escape '\\u" + hex + "' in a file name (ASCII only)");
        entry.path += static_cast<char>(code);
        pos += 4;
      } else {
        throw fail(fmt::format("unsupported escape '\\{}' in a file name", e));
      }
    }
    if (pos == text.size()) throw fail("the file name is not closed by '\"'");
    ++pos;
    entries.push_back(std::move(entry));
    skip_space();
    if (pos < text.size() && text[pos] == ',') {
      ++pos;
      continue;
    }
    if (pos < text.size() && text[pos] == ']') break;
    throw fail("expected ',' or ']' after a file name, got " + next());
  }
  ++pos;
  skip_space();
  if (pos < text.size()) throw fail("unexpected text after the list: " + next());
  return entries;
}

/// The whole content of a file; false when it cannot be read.
bool read_file(const std::filesystem::path& path, std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) return false;
  std::ostringstream text;
  text << in.rdbuf();
  content = text.str();
  return true;
}

/// +1 for a spam group, -1 for a ham group, 0 for neither.
double group_label(std::string_view group) {
  if (group.starts_with("spam")) return 1.0;
  if (group.starts_with("ham") || group.find("-ham") != std::string_view::npos) return -1.0;
  return 0.0;
}

}  // namespace

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::size_t token_column(std::string_view token, std::size_t hashed_features) {
  return static_cast<std::size_t>(fnv1a64(token) % hashed_features);
}

std::vector<std::string> email_tokens(std::string_view message, const std::string& name) {
  if (message.empty()) throw DataError(name + ":1: the email is empty");
  std::vector<std::string> tokens;
  std::size_t pos = 0, body = message.size();
  bool in_subject = false;
  for (std::size_t line = 1; pos < message.size(); ++line) {
    const std::size_t end = std::min(message.find('\n', pos), message.size());
    std::string_view text = message.substr(pos, end - pos);
    pos = end + 1;
    if (text.ends_with('\r')) text.remove_suffix(1);
    if (text.empty()) {
      body = std::min(pos, message.size());
      break;
    }
    const bool continuation = text.front() == ' ' || text.front() == '\t';
    if (continuation && line > 1) {
      if (in_subject) add_words(text, "subject:", tokens);
      continue;
    }
    if (line == 1 && text.starts_with("From ")) continue;
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos || !is_field_name(text.substr(0, colon)))
      throw DataError(fmt::format(
          "{}:{}: expected a header line 'Name: value' (or the empty line before the body), got {}",
          name, line, quoted(text)));
    std::string field(text.substr(0, colon));
    std::transform(field.begin(), field.end(), field.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    in_subject = field == "subject";
    if (in_subject) add_words(text.substr(colon + 1), "subject:", tokens);
  }
  add_words(message.substr(body), "", tokens);
  return tokens;
}

Dataset read_email_corpus(const std::filesystem::path& corpus, std::size_t hashed_features) {
  if (hashed_features == 0) throw std::invalid_argument("hashed_features must be at least 1");
  const std::filesystem::path list_path = corpus / "file_list.json";
  const std::string list_name = list_path.string();
  std::string text;
  if (!read_file(list_path, text)) throw DataError(list_name + ": cannot read the file");
  std::vector<Eigen::Triplet<double, std::int64_t>> entries;
  std::vector<double> labels;
  std::vector<std::size_t> columns;
  std::string message;
  for (const ListEntry& entry : parse_file_list(text, list_name)) {
    const auto fail = [&](const std::string& what) {
      return DataError(fmt::format("{}:{}: {}", list_name, entry.line, what));
    };
    const std::filesystem::path relative(entry.path);
    const bool inside =
        !relative.is_absolute() && std::distance(relative.begin(), relative.end()) >= 2 &&
        std::none_of(relative.begin(), relative.end(), [](const auto& p) { return p == ".."; });
    if (!inside)
      throw fail("'" + entry.path + "' is not a path GROUP/FILE inside the corpus folder");
    const std::string group = relative.begin()->string();
    const double label = group_label(group);
    if (label == 0.0)
      throw fail("'" + entry.path + "': group '" + group +
                 "' is neither spam (spam...) nor ham (ham..., ...-ham...)");
    const std::filesystem::path email = corpus / relative;
    if (!read_file(email, message)) throw fail("cannot read the email '" + email.string() + "'");
    columns.clear();
    for (const std::string& token : email_tokens(message, email.string()))
      columns.push_back(token_column(token, hashed_features));
    std::sort(columns.begin(), columns.end());
    const auto row = static_cast<std::int64_t>(labels.size());
    const std::size_t first = entries.size();
    double norm2 = 0.0;
    for (std::size_t i = 0; i < columns.size();) {
      std::size_t j = i;
      while (j < columns.size() && columns[j] == columns[i]) ++j;
      const double value = std::log1p(static_cast<double>(j - i));
      entries.emplace_back(row, static_cast<std::int64_t>(columns[i]), value);
      norm2 += value * value;
      i = j;
    }
    const double norm = std::sqrt(norm2);
    for (std::size_t k = first; k < entries.size(); ++k)
      entries[k] = {entries[k].row(), entries[k].col(), entries[k].value() / norm};
    labels.push_back(label);
  }
  SparseRows x(static_cast<Eigen::Index>(labels.size()),
               static_cast<Eigen::Index>(hashed_features));
  x.setFromTriplets(entries.begin(), entries.end());
  return Dataset::sparse(
      std::move(x),
      Eigen::Map<const Vector>(labels.data(), static_cast<Eigen::Index>(labels.size())));
}

std::filesystem::path spam_assassin_index(const std::filesystem::path& folder) {
  return folder / kSpamAssassinFolder / "file_list.json";
}

Dataset load_spam_assassin(const std::filesystem::path& folder, std::size_t hashed_features) {
  return read_email_corpus(folder / kSpamAssassinFolder, hashed_features);
}

std::vector<std::filesystem::path> fashion_mnist_files(const std::filesystem::path& folder,
                                                       bool test_set) {
  std::vector<std::filesystem::path> files;
  for (const char* kind : {"-images-idx3-ubyte", "-labels-idx1-ubyte"}) {
    const std::filesystem::path plain =
        folder / kFashionMnistFolder / (std::string(test_set ? "t10k" : "train") + kind);
    const std::filesystem::path gz = plain.string() + ".gz";
    files.push_back(!std::filesystem::exists(gz) && std::filesystem::exists(plain) ? plain : gz);
  }
  return files;
}

IdxImages read_fashion_mnist(const std::filesystem::path& folder, bool test_set) {
  const std::vector<std::filesystem::path> files = fashion_mnist_files(folder, test_set);
  IdxImages idx = read_idx(files[0], files[1], 10);
  if (idx.rows != 28 || idx.cols != 28)
    throw DataError(
        fmt::format("{}: byte 8: Fashion-MNIST images are 28 x 28 pixels, these are "
                    "{} x {}",
                    files[0].string(), idx.rows, idx.cols));
  return idx;
}

Dataset load_fashion_mnist(const std::filesystem::path& folder, bool test_set) {
  return idx_dataset(read_fashion_mnist(folder, test_set));
}

}  // namespace sgdsim
