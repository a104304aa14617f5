// vCard files (RFC 2426 version 3.0 and RFC 6350 version 4.0, as address books export them),
// read through libbelcard, one card per row. The columns are fixed: name, email, phone,
// organization, address, post_code, city, country, notes (the first of each property a card
// has; `import` maps organization and notes to a lead's company name and description).
//
// The file is read card by card (memory holds one card); lines are unfolded and a 3.0 card is
// handed to the parser as 4.0 (the properties we read mean the same in both; 3.0-only ones such
// as LABEL, and inline PHOTO/LOGO/SOUND data, are dropped first). Values are unescaped (\n, \,
// \;). A card's line is the line of its BEGIN:VCARD. A card the parser refuses, or one without
// a name (no FN and no N), is InvalidArgument "FILE:LINE: ...".
#pragma once

#include <memory>
#include <string>

#include "io/rows.h"

namespace crm::io {

Result<std::unique_ptr<RowSource>> OpenVcard(const std::string& path);

}  // namespace crm::io
