// The overloaded-lambdas idiom for std::visit: every alternative of a variant must have a lambda,
// so adding an alternative (a new step kind, load model or body) does not compile until handled.
#pragma once

namespace throng::engine {

/// `std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, variant)`.
template <typename... Lambdas>
struct Overloaded : Lambdas... {
  using Lambdas::operator()...;
};
template <typename... Lambdas>
Overloaded(Lambdas...) -> Overloaded<Lambdas...>;

}  // namespace throng::engine
