// The console table and the HTML page of `throngctl compare`.
#include <fmt/format.h>

#include "throng/cli/compare.h"
#include "throng/cli/junit_report.h"

namespace throng::cli {
namespace {

std::string RowName(const ComparedEndpoint& row) {
  const EndpointFigures& figures = row.base ? *row.base : *row.next;
  return EndpointLabel(figures.method, figures.name);
}

// "12.3 -> 13.1 (+6.5%)"; a side missing from one report shows as "-".
std::string Cell(const ComparedEndpoint& row, double EndpointFigures::*field, int decimals) {
  if (!row.base || !row.next) {
    const auto& only = row.base ? *row.base : *row.next;
    return fmt::format("{} only: {:.{}f}", row.base ? "base" : "new", only.*field, decimals);
  }
  const double base = (*row.base).*field;
  const double next = (*row.next).*field;
  const std::string change =
      base > 0 ? fmt::format("{:+.1f}%", (next - base) / base * 100.0) : std::string("new");
  return fmt::format("{:.{}f} -> {:.{}f} ({})", base, decimals, next, decimals,
                     base == next ? "=" : change);
}

std::string FailCell(const ComparedEndpoint& row) {
  if (!row.base || !row.next) return Cell(row, &EndpointFigures::fail_percent, 2);
  return fmt::format("{:.2f} -> {:.2f} ({:+.2f} pts)", row.base->fail_percent,
                     row.next->fail_percent, row.next->fail_percent - row.base->fail_percent);
}

std::string Verdict(const Comparison& comparison) {
  std::size_t count = 0;
  for (const auto& row : comparison.rows) count += row.regressions.empty() ? 0 : 1;
  return comparison.regressed ? fmt::format("verdict REGRESSION: {} of {} rows beyond the limits",
                                            count, comparison.rows.size())
                              : std::string("verdict OK: no regression beyond the limits");
}

}  // namespace

std::string CompareTable(const Comparison& comparison) {
  std::string text =
      fmt::format("BASE {}\nNEW  {}\n\n", comparison.base_label, comparison.next_label);
  text += fmt::format("{:<36} {:<28} {:<28} {:<28} {:<28} {}\n", "Name", "req/s", "p50 ms",
                      "p95 ms", "p99 ms", "failures %");
  for (const auto& row : comparison.rows) {
    text += fmt::format("{:<36} {:<28} {:<28} {:<28} {:<28} {}\n", RowName(row).substr(0, 36),
                        Cell(row, &EndpointFigures::rps, 2), Cell(row, &EndpointFigures::p50, 2),
                        Cell(row, &EndpointFigures::p95, 2), Cell(row, &EndpointFigures::p99, 2),
                        FailCell(row));
    for (const std::string& regression : row.regressions) {
      text += "    REGRESSION " + regression + "\n";
    }
  }
  return text + "\n" + Verdict(comparison) + "\n";
}

std::string CompareHtml(const Comparison& comparison) {
  std::string rows;
  for (const auto& row : comparison.rows) {
    const bool bad = !row.regressions.empty();
    std::string notes;
    for (const std::string& regression : row.regressions) notes += XmlEscape(regression) + "<br>";
    rows += fmt::format(
        "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>\n",
        bad ? "regressed" : "ok", XmlEscape(RowName(row)),
        XmlEscape(Cell(row, &EndpointFigures::rps, 2)),
        XmlEscape(Cell(row, &EndpointFigures::p50, 2)),
        XmlEscape(Cell(row, &EndpointFigures::p95, 2)),
        XmlEscape(Cell(row, &EndpointFigures::p99, 2)), XmlEscape(FailCell(row)),
        notes.empty() ? "within limits" : notes);
  }
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Throng comparison</title><style>"
      "body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}"
      "td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}"
      ".regressed{{background:#fdd}}.ok{{background:#efe}}#verdict{{font-weight:bold}}"
      "</style></head><body>\n<h1>Throng comparison</h1>\n"
      "<table id=\"sides\"><tr><th>BASE</th><th>NEW</th></tr><tr><td id=\"base\">{}</td>"
      "<td id=\"new\">{}</td></tr></table>\n<p id=\"verdict\">{}</p>\n"
      "<table id=\"endpoints\"><tr><th>Name</th><th>req/s</th><th>p50 ms</th><th>p95 ms</th>"
      "<th>p99 ms</th><th>failures %</th><th>verdict</th></tr>\n{}</table>\n</body></html>\n",
      XmlEscape(comparison.base_label), XmlEscape(comparison.next_label),
      XmlEscape(Verdict(comparison)), rows);
}

}  // namespace throng::cli
