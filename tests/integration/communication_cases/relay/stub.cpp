// relay's stub: each run reads its index (0 Alice, 1 Bob) from argv, talks with the
// manager on stdin and stdout, and calls the contestant's function directly.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crucible_grader.h"
#include "task.h"

static std::string message;
static size_t position = 0;

void send_bit(int bit) {
    if (message.size() < 64) message.push_back(bit ? '1' : '0');
}

int next_bit() { return position < message.size() ? message[position++] - '0' : -1; }

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    crucible_start();
    if (std::atoi(argv[1]) == 0) {
        long long x = 0;
        if (std::scanf("%lld", &x) != 1) return 1;
        alice(x);
        std::printf("%s\n", message.c_str());
    } else {
        char bits[128];
        if (std::scanf("%127s", bits) != 1) return 1;
        message = bits;
        std::printf("%lld\n", bob());
    }
    return 0;
}
