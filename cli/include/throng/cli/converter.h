#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace throng::cli {

/// Where `throngctl convert` finds its Python script: $THRONG_CONVERTER if set, else
/// <throngctl's dir>/../libexec/throng/convert/locust_convert.py (the installed layout), else the
/// source tree's cli/convert/locust_convert.py compiled in. Returns "" when none exists.
std::string FindConverterScript();

/// Runs the converter (`$THRONG_PYTHON`, default /usr/bin/python3) with `args`, its output going to
/// throngctl's own stdout and stderr; returns its exit status (2 when it cannot be started).
int RunConverter(const std::vector<std::string>& args, std::ostream& err);

}  // namespace throng::cli
