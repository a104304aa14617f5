# Writes OUT, a C++ file defining crm::EventSchemaText() as the contents of IN.
file(READ ${IN} text)
file(WRITE ${OUT} "#include <string_view>\nnamespace crm {\nstd::string_view EventSchemaText() {\n  return R\"crmfbs(${text})crmfbs\";\n}\n}  // namespace crm\n")
