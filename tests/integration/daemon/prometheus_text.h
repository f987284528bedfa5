// Reads samples out of a Prometheus text exposition (as scraped from throngd's /metrics).
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace throng::daemon_test {

/// One sample line: `name{label="value",...} value`.
struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

/// Every sample of `text`; comment lines are skipped. Throws std::runtime_error, quoting the
/// line, on a line that is not a sample.
inline std::vector<PromSample> ParseProm(std::string_view text) {
  std::vector<PromSample> samples;
  while (!text.empty()) {
    const std::size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (line.empty() || line[0] == '#') continue;
    const auto bad = [&] { return std::runtime_error("not a sample: " + std::string(line)); };
    PromSample sample;
    std::size_t at = line.find_first_of("{ ");
    if (at == std::string_view::npos) throw bad();
    sample.name = std::string(line.substr(0, at));
    if (line[at] == '{') {
      ++at;
      while (at < line.size() && line[at] != '}') {
        const std::size_t eq = line.find("=\"", at);
        if (eq == std::string_view::npos) throw bad();
        const std::string key(line.substr(at, eq - at));
        std::string value;
        for (at = eq + 2; at < line.size() && line[at] != '"'; ++at) {
          if (line[at] == '\\' && at + 1 < line.size()) {
            ++at;
            value += line[at] == 'n' ? '\n' : line[at];
          } else {
            value += line[at];
          }
        }
        if (at >= line.size()) throw bad();
        sample.labels[key] = std::move(value);
        ++at;  // closing quote
        if (at < line.size() && line[at] == ',') ++at;
      }
      if (at >= line.size()) throw bad();
      ++at;  // '}'
    }
    const std::size_t value_at = line.find_first_not_of(' ', at);
    if (value_at == std::string_view::npos) throw bad();
    sample.value = std::stod(std::string(line.substr(value_at)));
    samples.push_back(std::move(sample));
  }
  return samples;
}

/// The samples named `name` whose labels include every pair of `match`.
inline std::vector<PromSample> Select(const std::vector<PromSample>& samples,
                                      const std::string& name,
                                      const std::map<std::string, std::string>& match) {
  std::vector<PromSample> out;
  for (const PromSample& sample : samples) {
    if (sample.name != name) continue;
    bool matches = true;
    for (const auto& [key, value] : match) {
      const auto it = sample.labels.find(key);
      matches = matches && it != sample.labels.end() && it->second == value;
    }
    if (matches) out.push_back(sample);
  }
  return out;
}

/// The sum of the values Select() returns (0 when none match).
inline double Sum(const std::vector<PromSample>& samples, const std::string& name,
                  const std::map<std::string, std::string>& match) {
  double sum = 0;
  for (const PromSample& sample : Select(samples, name, match)) sum += sample.value;
  return sum;
}

}  // namespace throng::daemon_test
