// libxml2 (libxml2-dev), for reading XML answers (AWSCore's XMLAnswer) without FoundationXML's bridge.
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding.h then includes ICU's headers, which clash with the
// copy of ICU's inside Foundation (_FoundationICU). LabCheck uses no libxml2 type that holds ICU's (only
// xmlCharEncodingHandler does, and only behind pointers), so its ICU part is left out here.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/entities.h>
#include <libxml/xmlerror.h>
