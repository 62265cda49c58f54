// The scans are inline functions in the header (Swift compiles them into its callers); a C
// target needs one source file.
#include "CByteScan.h"
