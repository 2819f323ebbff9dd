// attack: a constant expression that loops 4e10 times (each loop under the compiler's per-loop limit), evaluated at compile time
// tests: compile_error
// message: compiling took longer than
// compile-time-s: 3

constexpr long spin() {
    long sum = 0;
    for (long i = 0; i < 200000; i++) {
        for (long j = 0; j < 200000; j++) sum += i ^ j;
    }
    return sum;
}

constexpr long answer = spin();

int main() { return answer == 0; }
