#include <cstdio>
int main() { std::puts("fastthread: under construction"); return 0; }
