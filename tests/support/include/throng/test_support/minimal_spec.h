// The smallest valid JobSpec, shared by the tests that only need "some job" to submit or convert.
// Header-only: include it from tests that link throng::proto.
#pragma once

#include <string>

#include "throng/v1/job_spec.pb.h"

namespace throng::test_support {

/// One user class "u" with one task requesting "/", a closed model of 1 user for 1 s, named
/// `name`, loading `base_url`. Tests change what they exercise on the returned copy.
inline v1::JobSpec MinimalJobSpec(const std::string& name, const std::string& base_url) {
  v1::JobSpec spec;
  spec.set_name(name);
  spec.set_base_url(base_url);
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("u");
  user->add_tasks()->add_steps()->mutable_request()->set_path("/");
  spec.mutable_load()->mutable_closed()->set_users(1);
  spec.mutable_load()->mutable_duration()->set_seconds(1);
  return spec;
}

}  // namespace throng::test_support
