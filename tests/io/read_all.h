// Test helper for the io readers: every row a RowSource gives, in order (the reading must not fail).
#pragma once

#include <doctest/doctest.h>

#include <vector>

#include "io/rows.h"

namespace crm::io {

inline std::vector<TableRow> ReadAll(RowSource* src) {
  std::vector<TableRow> rows;
  TableRow row;
  for (;;) {
    auto more = src->Next(&row);
    REQUIRE(more.ok());
    if (!*more) break;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace crm::io
