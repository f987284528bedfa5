// "Did you mean ...?" for unknown names: the scenario walker and throngctl use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace throng::api {

/// Edit distance (optimal string alignment: insertions, deletions, substitutions and adjacent
/// transpositions each cost 1), compared case-insensitively.
std::size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a plausible typo, else nullopt.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace throng::api
