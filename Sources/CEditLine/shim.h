#include <stdio.h>
#include <stdlib.h>
#include <editline/readline.h>

/// Swift 6 cannot read C mutable globals directly: accessors for the ones kzqa uses.
static inline int kzqa_history_length(void) { return history_length; }
