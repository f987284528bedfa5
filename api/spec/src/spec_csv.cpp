#include "spec_csv.h"

namespace throng::api::spec {
namespace {

// Reads records one character at a time; `line` counts physical lines for error messages.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
  }

  std::vector<std::vector<std::string>> ReadAll() {
    std::vector<std::vector<std::string>> records;
    while (pos_ < text_.size()) {
      std::vector<std::string> record = ReadRecord();
      const bool blank = record.size() == 1 && record[0].empty() && !last_field_quoted_;
      if (!blank) records.push_back(std::move(record));
    }
    return records;
  }

 private:
  std::vector<std::string> ReadRecord() {
    std::vector<std::string> fields;
    while (true) {
      fields.push_back(ReadField());
      if (pos_ >= text_.size()) return fields;
      const char separator = text_[pos_++];
      if (separator == ',') continue;
      if (separator == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      ++line_;
      return fields;
    }
  }

  std::string ReadField() {
    last_field_quoted_ = pos_ < text_.size() && text_[pos_] == '"';
    if (last_field_quoted_) return ReadQuoted();
    const std::size_t end = text_.find_first_of(",\r\n", pos_);
    std::string field(text_.substr(pos_, end - pos_));
    if (field.find('"') != std::string::npos) {
      Throw("a quote inside an unquoted field (quote the whole field and double inner quotes)");
    }
    pos_ = end == std::string_view::npos ? text_.size() : end;
    return field;
  }

  std::string ReadQuoted() {
    const std::size_t start_line = line_;
    std::string field;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) {
        line_ = start_line;
        Throw("unclosed quoted field");
      }
      const char c = text_[pos_++];
      if (c == '\n') ++line_;
      if (c != '"') {
        field += c;
      } else if (pos_ < text_.size() && text_[pos_] == '"') {
        field += '"';
        ++pos_;
      } else {
        break;
      }
    }
    if (pos_ < text_.size() && text_.find_first_of(",\r\n", pos_) != pos_) {
      Throw("unexpected text after a closing quote");
    }
    return field;
  }

  [[noreturn]] void Throw(const std::string& message) const {
    throw std::invalid_argument("line " + std::to_string(line_) + ": " + message);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  bool last_field_quoted_ = false;
};

}  // namespace

std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  return CsvReader(text).ReadAll();
}

}  // namespace throng::api::spec
