// How far apart two words are, for "did you mean" hints (unknown filter fields, mistyped
// commands): the optimal string alignment distance, ASCII case aside. An insertion, a deletion,
// a substitution and a swap of two neighbours each count one ("ctiy" is one from "city").
#pragma once

#include <cstddef>
#include <string_view>

namespace crm {

size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace crm
