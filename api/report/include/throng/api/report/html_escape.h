// Escaping for HTML and XML text and attribute values.
#pragma once

#include <string>

namespace throng::api::report {

/// `text` with &, <, >, " and ' escaped (as &amp; &lt; &gt; &quot; &#39;): names, messages and
/// expressions come from users and targets. Valid in HTML and XML. Pure function.
std::string HtmlEscape(const std::string& text);

}  // namespace throng::api::report
