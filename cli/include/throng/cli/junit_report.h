#pragma once

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::cli {

/// A JUnit XML document of `report` for CI systems: one test case per threshold (failed when the
/// threshold failed) and one per endpoint ("failures: METHOD name", failed when the endpoint had
/// failures, with the failure kinds as the message). Pure function of the report.
std::string JUnitReport(const throng::v1::Report& report);

/// "METHOD name", or just `name` when it already starts with the method (names like "GET /x").
std::string EndpointLabel(const std::string& method, const std::string& name);

/// `text` escaped for XML attribute values and character data.
std::string XmlEscape(const std::string& text);

}  // namespace throng::cli
