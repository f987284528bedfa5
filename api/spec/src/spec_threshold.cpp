#include "throng/api/spec/spec_threshold.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include "throng/api/common/duration.h"

namespace throng::api {
namespace {

using Metric = engine::ThresholdPlan::Metric;
using Op = engine::ThresholdPlan::Op;

// A cursor over the expression; every error names what was expected where.
class ThresholdParser {
 public:
  explicit ThresholdParser(std::string_view expr) : expr_(expr) {}

  engine::ThresholdPlan Parse() {
    engine::ThresholdPlan plan;
    plan.expr = std::string(expr_);
    ParseMetric(plan);
    plan.op = ParseOp();
    plan.value = ParseValue(plan.metric);
    SkipSpace();
    if (pos_ != expr_.size()) Throw("unexpected \"" + std::string(expr_.substr(pos_)) + "\"");
    return plan;
  }

 private:
  void ParseMetric(engine::ThresholdPlan& plan) {
    SkipSpace();
    const std::size_t start = pos_;
    while (pos_ < expr_.size() && (std::isalpha(Byte()) || expr_[pos_] == '_')) ++pos_;
    const std::string_view name = expr_.substr(start, pos_ - start);
    if (name == "p") {
      plan.metric = Metric::kPercentile;
      plan.percentile = ParsePercentile();
      return;
    }
    for (const auto& [text, metric] : kMetrics) {
      if (name == text) {
        plan.metric = metric;
        return;
      }
    }
    pos_ = start;
    Throw("expected a metric: p(N), avg, min, max, med, fail_rate or rps");
  }

  double ParsePercentile() {
    SkipSpace();
    Expect('(', "expected '(' after p, as in p(95)");
    const double percentile = ParseNumber("a percentile");
    if (!(percentile > 0 && percentile <= 100)) Throw("percentile must be in (0, 100]");
    SkipSpace();
    Expect(')', "expected ')' after the percentile");
    return percentile;
  }

  Op ParseOp() {
    SkipSpace();
    for (const auto& [text, op] : kOps) {
      if (expr_.substr(pos_).starts_with(text)) {
        pos_ += text.size();
        return op;
      }
    }
    Throw("expected an operator: <, <=, >, >= or ==");
  }

  double ParseValue(Metric metric) {
    const double number = ParseNumber("a value");
    SkipSpace();
    const std::size_t unit_start = pos_;
    while (pos_ < expr_.size() && !std::isspace(Byte())) ++pos_;
    const std::string_view unit = expr_.substr(unit_start, pos_ - unit_start);
    switch (metric) {
      case Metric::kFailRate:
        return FailRate(number, unit);
      case Metric::kRps:
        if (!unit.empty() && unit != "/s") Throw("rps takes a plain number (or \"/s\")");
        return number;
      default:
        return Latency(number, unit);
    }
  }

  double FailRate(double number, std::string_view unit) {
    if (unit == "%") {
      if (number > 100) Throw("fail_rate percentage must be in 0..100%");
      return number / 100;
    }
    if (!unit.empty() || number > 1) {
      Throw("fail_rate takes a percentage like 5% or a ratio in 0..1");
    }
    return number;
  }

  // Latency units are the duration grammar's (throng/api/common/duration.h).
  double Latency(double number, std::string_view unit) {
    if (const std::optional<std::int64_t> nanos = DurationUnitNanos(unit)) {
      return number * static_cast<double>(*nanos) / 1e9;
    }
    Throw(unit.empty()
              ? "a latency needs a unit: ns, us, ms, s, m or h (e.g. 500ms)"
              : "unknown unit \"" + std::string(unit) + "\" (expected ns, us, ms, s, m or h)");
  }

  double ParseNumber(const char* what) {
    SkipSpace();
    double value = 0;
    const char* begin = expr_.data() + pos_;
    const auto [end, error] = std::from_chars(begin, expr_.data() + expr_.size(), value);
    if (error != std::errc() || !std::isfinite(value) || value < 0) {
      Throw(std::string("expected ") + what + " (a non-negative number)");
    }
    pos_ += static_cast<std::size_t>(end - begin);
    return value;
  }

  void Expect(char c, const char* message) {
    if (pos_ >= expr_.size() || expr_[pos_] != c) Throw(message);
    ++pos_;
  }

  void SkipSpace() {
    while (pos_ < expr_.size() && std::isspace(Byte())) ++pos_;
  }

  unsigned char Byte() const { return static_cast<unsigned char>(expr_[pos_]); }

  [[noreturn]] void Throw(const std::string& message) const {
    throw ThresholdError("threshold \"" + std::string(expr_) + "\": " + message + " at offset " +
                         std::to_string(pos_));
  }

  static constexpr std::pair<std::string_view, Metric> kMetrics[] = {
      {"avg", Metric::kAvg},
      {"min", Metric::kMin},
      {"max", Metric::kMax},
      {"med", Metric::kMedian},
      {"fail_rate", Metric::kFailRate},
      {"rps", Metric::kRps}};
  // Two-character operators first so "<=" is not read as "<".
  static constexpr std::pair<std::string_view, Op> kOps[] = {{"<=", Op::kLessEqual},
                                                             {">=", Op::kGreaterEqual},
                                                             {"==", Op::kEqual},
                                                             {"<", Op::kLess},
                                                             {">", Op::kGreater}};

  std::string_view expr_;
  std::size_t pos_ = 0;
};

}  // namespace

engine::ThresholdPlan ParseThreshold(std::string_view expr) {
  return ThresholdParser(expr).Parse();
}

}  // namespace throng::api
