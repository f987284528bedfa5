// Options of ConvertSpec beyond the spec itself.
#pragma once

#include "throng/api/spec/spec_limits.h"

namespace throng::api {

/// What the daemon (or throngctl) allows a spec to ask for. Plain value type; the defaults are
/// throngd's flag defaults.
struct ConvertOptions {
  SpecLimits limits;
  /* more fields may be added by others */
};

}  // namespace throng::api
