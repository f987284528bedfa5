// Feeders: validation and materialisation of inline, CSV and generated rows.
#include <set>

#include "spec_csv.h"
#include "spec_parts.h"
#include "spec_policy.h"
#include "spec_support.h"

namespace throng::api::spec {
namespace {

constexpr std::uint32_t kMaxGeneratedRows = 10'000'000;

// Generated columns see only {{row_index}} (and context-free functions such as {{uuid}}).
class RowScope : public engine::TemplateScope {
 public:
  explicit RowScope(std::uint64_t row) : row_(row), row_text_(std::to_string(row)), random_(row) {}
  const std::string* Variable(std::string_view name) const override {
    return name == "row_index" ? &row_text_ : nullptr;
  }
  const std::string* FeedValue(std::string_view, std::string_view) const override {
    return nullptr;
  }
  std::size_t ListSize(std::string_view) const override { return 0; }
  std::uint64_t UserIndex() const override { return row_; }
  std::mt19937_64& Random() const override { return random_; }

 private:
  std::uint64_t row_;
  std::string row_text_;
  mutable std::mt19937_64 random_;
};

engine::Template ParseRowTemplate(const std::string& text, const FieldPath& path,
                                  const ConvertOptions& options) {
  engine::Template parsed;
  try {
    parsed = engine::Template::Parse(text);
  } catch (const engine::TemplateError& error) {
    Fail(path, error.what());
  }
  CheckEnvAllowed(parsed, path, options);
  using Kind = engine::Template::Part::Kind;
  for (const auto& part : parsed.Parts()) {
    const bool row_index = part.kind == Kind::kVariable && part.text == "row_index";
    if (row_index || part.kind == Kind::kLiteral || part.kind == Kind::kEnv ||
        part.kind == Kind::kUuid || part.kind == Kind::kRandInt) {
      continue;
    }
    Fail(path,
         "generated columns may use {{row_index}}, {{env:...}}, {{uuid}} and "
         "{{randint:A:B}} only, not \"" +
             part.text + "\"");
  }
  return parsed;
}

void FillGenerated(const v1::GeneratedRows& generated, const FieldPath& path,
                   const ConvertOptions& options, engine::FeederPlan& plan) {
  if (generated.count() < 1) Fail(path.Field("count"), "must be >= 1");
  if (generated.count() > kMaxGeneratedRows) {
    Fail(path.Field("count"), "must be <= " + std::to_string(kMaxGeneratedRows));
  }
  if (generated.columns().empty()) Fail(path.Field("columns"), "at least one column is required");
  std::vector<engine::Template> templates;
  for (const auto& [column, text] : SortedEntries(generated.columns())) {
    const FieldPath column_path = path.Key("columns", column);
    if (column.empty()) Fail(column_path, "column name must not be empty");
    plan.columns.push_back(column);
    templates.push_back(ParseRowTemplate(text, column_path, options));
  }
  plan.rows.reserve(generated.count());
  for (std::uint32_t row = 0; row < generated.count(); ++row) {
    const RowScope scope(row);
    auto& values = plan.rows.emplace_back();
    for (const auto& column : templates) values.push_back(column.Render(scope));
  }
}

void FillInline(const v1::InlineRows& rows, const FieldPath& path, engine::FeederPlan& plan) {
  if (rows.rows_size() == 0) Fail(path.Field("rows"), "at least one row is required");
  for (const auto& [column, value] : SortedEntries(rows.rows(0).values())) {
    if (column.empty())
      Fail(path.At("rows", 0).Key("values", column), "column name must not be empty");
    plan.columns.push_back(column);
  }
  for (int i = 0; i < rows.rows_size(); ++i) {
    const FieldPath row_path = path.At("rows", static_cast<std::size_t>(i));
    auto& values = plan.rows.emplace_back();
    for (const auto& [column, value] : SortedEntries(rows.rows(i).values())) {
      values.push_back(value);
      // Sorted keys: a row with the same column set lines up position by position.
      if (values.size() > plan.columns.size() || plan.columns[values.size() - 1] != column) {
        Fail(row_path.Key("values", column),
             "unexpected column \"" + column + "\" (every row needs the columns of rows[0])");
      }
    }
    if (values.size() != plan.columns.size()) {
      Fail(row_path.Field("values"), "has " + std::to_string(values.size()) +
                                         " columns; rows[0] has " +
                                         std::to_string(plan.columns.size()));
    }
  }
}

void FillCsv(const std::string& file, const FieldPath& path, const ConvertOptions& options,
             engine::FeederPlan& plan) {
  const std::string text = ReadFeederFile(file, path, options);
  std::vector<std::vector<std::string>> records;
  try {
    records = ParseCsv(text);
  } catch (const std::invalid_argument& error) {
    Fail(path, "\"" + file + "\" " + error.what());
  }
  if (records.size() < 2) Fail(path, "\"" + file + "\" needs a header row and at least one row");
  plan.columns = std::move(records.front());
  std::set<std::string> unique(plan.columns.begin(), plan.columns.end());
  if (unique.size() != plan.columns.size() || unique.contains("")) {
    Fail(path, "\"" + file + "\" header row needs distinct, non-empty column names");
  }
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (records[i].size() != plan.columns.size()) {
      Fail(path, "\"" + file + "\" record " + std::to_string(i + 1) + " has " +
                     std::to_string(records[i].size()) + " fields; the header has " +
                     std::to_string(plan.columns.size()));
    }
    plan.rows.push_back(std::move(records[i]));
  }
}

engine::FeederPlan::Mode ConvertMode(v1::Feeder::Mode mode, const FieldPath& path) {
  switch (mode) {
    case v1::Feeder::UNIQUE:
      return engine::FeederPlan::Mode::kUnique;
    case v1::Feeder::ROUND_ROBIN:
      return engine::FeederPlan::Mode::kRoundRobin;
    case v1::Feeder::RANDOM:
      return engine::FeederPlan::Mode::kRandom;
    default:
      Fail(path,
           "unknown mode " + std::to_string(mode) + " (expected UNIQUE, ROUND_ROBIN, RANDOM)");
  }
}

}  // namespace

engine::FeederPlan ConvertFeeder(const v1::Feeder& feeder, const FieldPath& path,
                                 const ConvertOptions& options) {
  engine::FeederPlan plan;
  Require(feeder.name(), path.Field("name"));
  if (feeder.name().find_first_of(".{}") != std::string::npos) {
    Fail(path.Field("name"), "must not contain '.', '{' or '}' (it is used as {{feed:NAME.COL}})");
  }
  plan.name = feeder.name();
  plan.mode = ConvertMode(feeder.mode(), path.Field("mode"));
  switch (feeder.source_case()) {
    case v1::Feeder::kInline:
      FillInline(feeder.inline_(), path.Field("inline"), plan);
      break;
    case v1::Feeder::kCsvFile:
      FillCsv(feeder.csv_file(), path.Field("csv_file"), options, plan);
      break;
    case v1::Feeder::kGenerated:
      FillGenerated(feeder.generated(), path.Field("generated"), options, plan);
      break;
    default:
      Fail(path, "one source is required: inline, csv_file or generated");
  }
  return plan;
}

}  // namespace throng::api::spec
