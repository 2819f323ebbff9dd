// Only alice: the stub cannot be linked.  A compile error.
#include "task.h"

void alice(long long x) {
    for (int bit = 19; bit >= 0; --bit) send_bit((x >> bit) & 1);
}
