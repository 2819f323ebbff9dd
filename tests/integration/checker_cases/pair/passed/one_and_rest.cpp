#include <iostream>
#include <string>
// n - 1 for n up to 10^21 as a decimal string.
int main() {
    std::string n;
    std::cin >> n;
    int i = static_cast<int>(n.size()) - 1;
    while (n[i] == '0') n[i--] = '9';
    n[i]--;
    if (n.size() > 1 && n[0] == '0') n.erase(0, 1);
    std::cout << 1 << ' ' << n << '\n';
}
