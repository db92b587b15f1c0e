// Overloaded: a set of lambdas as one visitor for std::visit over PushBody (the usual C++17
// idiom). Header-only, stateless.
#pragma once

namespace wxb {

template <class... Visitors>
struct Overloaded : Visitors... {
  using Visitors::operator()...;
};

}  // namespace wxb
