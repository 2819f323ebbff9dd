// attack: a template instantiation bomb: every level's type is a pair of the one below, so its name doubles at each of 40 levels
// tests: compile_error
// message: compiling took longer than
// compile-time-s: 3

#include <utility>

template <class T, int N>
struct Bomb {
    using type = typename Bomb<std::pair<T, T>, N - 1>::type;
};

template <class T>
struct Bomb<T, 0> {
    using type = T;
};

int main() {
    Bomb<int, 40>::type value{};
    (void)value;
}
